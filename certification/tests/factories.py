"""Helpers that build certification documents through the real services."""

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from certification.inspection_templates import YES, template_of
from certification.models import PartDisposition, RemanStage
from certification.services import certificates, inspections
from marketplace.tests.factories import MachineFactory


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 80, 20)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def machine_for(owner, **kwargs):
    return MachineFactory(owner=owner, **kwargs)


def filled_report(
    *,
    machine,
    certifier,
    inspector,
    hours: int = 2500,
    wear: Decimal = Decimal("30"),
    rating: str = "good",
    inspected_on: dt.date | None = None,
    **overrides,
):
    """A draft report with every required field, rating and photo; ready to submit."""
    report = inspections.inspection_report_start(
        machine=machine, certifier=certifier, actor=inspector
    )
    template = template_of(report)
    data = {
        "inspected_on": inspected_on or dt.date.today(),
        "location": "长沙市雨花区",
        "plate_number": "湘A-12345",
        "serial_number_observed": machine.serial_number,
        "hour_meter_reading": hours,
        "cold_start": "passed",
        "functional_test": "passed",
        "engine_oil_sample": "normal",
        "hydraulic_oil_sample": "normal",
        "coolant_sample": "normal",
        "summary": "整机状况良好",
        "tradeable_checks": {check.key: YES for check in template.tradeable_checks},
        **overrides,
    }
    inspections.inspection_report_update(
        report=report, actor=inspector, data=inspections.ReportInput(**data)
    )
    for item in report.items.all():
        inspections.inspection_item_set(
            report=report,
            actor=inspector,
            system=item.system,
            rating=rating,
            wear_percent=wear if item.system in ("undercarriage", "tyres") else None,
            comment="检查正常",
        )
    inspections.inspection_photo_add(
        report=report, actor=inspector, upload=png_upload("meter.png"), system="hour_meter"
    )
    for angle in template.photo_required:
        inspections.inspection_photo_add(
            report=report, actor=inspector, upload=png_upload(), angle=angle
        )
    report.refresh_from_db()
    return report


def submitted_report(**kwargs):
    report = filled_report(**kwargs)
    return inspections.inspection_report_submit(report=report, actor=kwargs["inspector"])


PARTS = [
    ("缸体", PartDisposition.REUSED, 1, Decimal("180.000")),
    ("曲轴", PartDisposition.REMANUFACTURED, 1, Decimal("60.000")),
    ("活塞", PartDisposition.REPLACED, 6, Decimal("2.500")),
    ("密封件", PartDisposition.REPLACED, 1, Decimal("5.000")),
]


def draft_certificate(*, machine, certifier, inspector, **overrides):
    data = {
        "subject": "component",
        "component_name": "发动机总成",
        "component_part_number": "D06S-001",
        "component_serial": "ENG-778899",
        "core_identification": "旧件编号 CORE-2020-0042，来源：长沙用户返厂",
        "remanufacturer": "湖南再制造有限公司",
        "performance_declaration": True,
        "test_summary": "台架试验功率 114 kW，达到新品标准",
        "label_text": "再制造 REMANUFACTURED · RC-ENG-778899",
        "label_location": "缸体左侧铭牌",
        "warranty_months": 12,
        "warranty_terms": "自交付之日起 12 个月或 2000 小时，以先到者为准",
        "valid_from": dt.date(2026, 1, 1),
        "valid_until": dt.date(2029, 1, 1),
        **overrides,
    }
    certificate = certificates.reman_certificate_create(
        machine=machine,
        certifier=certifier,
        actor=inspector,
        data=certificates.RemanCertificateInput(**data),
    )
    for stage in RemanStage.values:
        certificates.reman_stage_set(
            certificate=certificate,
            actor=inspector,
            stage=stage,
            passed=True,
            result="合格",
            performed_on=dt.date(2025, 12, 1),
        )
    for name, disposition, quantity, mass in PARTS:
        certificates.reman_part_add(
            certificate=certificate,
            actor=inspector,
            name=name,
            disposition=disposition,
            quantity=quantity,
            unit_mass_kg=mass,
        )
    return certificate


def issued_certificate(**kwargs):
    certificate = draft_certificate(**kwargs)
    return certificates.reman_certificate_issue(certificate=certificate, actor=kwargs["inspector"])
