"""Demo data of the certification app, called by `manage.py seed_demo` after the marketplace data.

Idempotent: the demo certifier and inspector are looked up by name, and a machine that already
has a report or certificate from the demo certifier is skipped. Everything goes through the
real services (grading, numbering, verified hour readings) and is marked as simulated: the
organization and machines carry ``is_simulated`` and the report texts say 模拟数据.
"""

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from accounts.models import KycStatus, Membership, Organization, OrganizationKind, Role, User
from certification.inspection_templates import YES, template_of
from certification.models import (
    RUNNING_GEAR_SYSTEMS,
    CertificateStatus,
    InspectionReport,
    PartDisposition,
    RemanCertificate,
    RemanStage,
)
from certification.services import certificates, inspections
from marketplace.models import Brand, Category, EquipmentModel, Machine

CERTIFIER_NAME = "湖南工程机械检测认证中心（模拟）"
INSPECTOR_USERNAME = "demo_inspector"
# (system ratings, wear %, accident flags) per demo report, giving a spread of grades.
SCENARIOS = [
    ("good", Decimal("25"), {}),
    ("fair", Decimal("45"), {}),
    ("poor", Decimal("70"), {}),
    ("good", Decimal("85"), {}),
    ("good", Decimal("40"), {"flood_damage": True}),
]
REMAN_PARTS = {
    "发动机总成": [
        ("缸体", PartDisposition.REUSED, 1, Decimal("185.000")),
        ("缸盖", PartDisposition.REMANUFACTURED, 1, Decimal("48.000")),
        ("曲轴", PartDisposition.REMANUFACTURED, 1, Decimal("62.000")),
        ("活塞组件", PartDisposition.REPLACED, 6, Decimal("2.600")),
        ("密封件与垫片", PartDisposition.REPLACED, 1, Decimal("4.500")),
    ],
    "液压主泵": [
        ("泵壳体", PartDisposition.REUSED, 1, Decimal("78.000")),
        ("柱塞组件", PartDisposition.REMANUFACTURED, 9, Decimal("1.200")),
        ("配流盘", PartDisposition.REPLACED, 1, Decimal("3.400")),
        ("轴承", PartDisposition.REPLACED, 2, Decimal("1.800")),
    ],
    "回转马达": [
        ("马达壳体", PartDisposition.REUSED, 1, Decimal("42.000")),
        ("减速机齿轮", PartDisposition.REMANUFACTURED, 3, Decimal("6.500")),
        ("油封", PartDisposition.REPLACED, 2, Decimal("0.300")),
    ],
}


def _png(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (217, 72, 15)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _certifier_and_inspector() -> tuple[Organization, User]:
    """The marketplace seeder's simulated certifier and inspector when it made them (so the
    documented ``inspector`` login sees the documents), else our own."""
    existing = (
        Membership.objects.filter(
            role=Role.INSPECTOR,
            organization__kind=OrganizationKind.CERTIFIER,
            organization__is_simulated=True,
        )
        .select_related("organization", "user")
        .order_by("id")
        .first()
    )
    if existing is not None:
        return existing.organization, existing.user
    certifier, _created = Organization.objects.get_or_create(
        name=CERTIFIER_NAME,
        defaults={
            "kind": OrganizationKind.CERTIFIER,
            "kyc_status": KycStatus.VERIFIED,
            "province": "湖南省",
            "city": "长沙市",
            "is_simulated": True,
            "description": "演示用第三方检测认证机构（模拟数据）。",
        },
    )
    inspector, created = User.objects.get_or_create(
        username=INSPECTOR_USERNAME,
        defaults={"display_name": "模拟检测师", "email": "inspector@ironloop.example"},
    )
    if created:
        inspector.set_unusable_password()  # documents only; log in as the seeded users
        inspector.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=inspector, organization=certifier, defaults={"role": Role.INSPECTOR}
    )
    return certifier, inspector


def _demo_machines(certifier: Organization, log) -> list[Machine]:
    machines = list(
        Machine.objects.active()
        .filter(is_simulated=True, year_of_manufacture__isnull=False)
        .exclude(owner=certifier)
        .exclude(listings__seller=certifier)
        .select_related("category", "brand", "equipment_model")
        .order_by("id")[: len(SCENARIOS)]
    )
    if machines:
        return machines
    log("certification: no simulated machines yet, creating two of its own")
    owner, _ = Organization.objects.get_or_create(
        name="长沙模拟设备经销商（检测演示）",
        defaults={
            "kind": OrganizationKind.DEALER,
            "kyc_status": KycStatus.VERIFIED,
            "province": "湖南省",
            "city": "长沙市",
            "is_simulated": True,
        },
    )
    category, _ = Category.objects.get_or_create(
        slug="excavator", defaults={"name": "挖掘机", "name_en": "Excavators"}
    )
    brand, _ = Brand.objects.get_or_create(
        slug="sany", defaults={"name": "三一", "name_en": "SANY"}
    )
    model, _ = EquipmentModel.objects.get_or_create(
        brand=brand, name="SY215C", defaults={"category": category, "base_model": "SY215"}
    )
    return [
        Machine.objects.get_or_create(
            brand=brand,
            serial_number=serial,
            defaults={
                "equipment_model": model,
                "category": model.category,
                "owner": owner,
                "year_of_manufacture": year,
                "province": "湖南省",
                "city": "长沙市",
                "current_hours": hours,
                "is_simulated": True,
            },
        )[0]
        for serial, year, hours in (("DEMO-CERT-0001", 2023, 2100), ("DEMO-CERT-0002", 2018, 7400))
    ]


def _seed_report(machine, certifier, inspector, scenario) -> InspectionReport:
    rating, wear, flags = scenario
    report = inspections.inspection_report_start(
        machine=machine, certifier=certifier, actor=inspector
    )
    template = template_of(report)
    latest = machine.hour_readings.order_by("-read_at", "-id").first()
    hours = max(latest.hours if latest else 0, machine.current_hours or 0) + 12
    inspections.inspection_report_update(
        report=report,
        actor=inspector,
        data=inspections.ReportInput(
            inspected_on=timezone.localdate(),
            location=f"{machine.city}检测场",
            plate_number=f"湘A-D{machine.pk:04d}",
            serial_number_observed=machine.serial_number,
            hour_meter_reading=hours,
            cold_start="passed",
            functional_test="passed",
            engine_oil_sample="normal",
            hydraulic_oil_sample="normal",
            coolant_sample="normal",
            summary="【模拟数据】演示用检测报告。",
            tradeable_checks={check.key: YES for check in template.tradeable_checks},
            **flags,
        ),
    )
    for item in report.items.all():
        inspections.inspection_item_set(
            report=report,
            actor=inspector,
            system=item.system,
            rating=rating,
            wear_percent=wear if item.system in RUNNING_GEAR_SYSTEMS else None,
            comment="模拟检测记录",
        )
    if rating == "poor":  # worn but structurally sound: a job-ready C
        inspections.inspection_item_set(
            report=report,
            actor=inspector,
            system="structure",
            rating="fair",
            comment="模拟检测记录",
        )
    inspections.inspection_photo_add(
        report=report, actor=inspector, upload=_png("meter.png"), system="hour_meter"
    )
    for angle in template.photo_required:
        inspections.inspection_photo_add(
            report=report, actor=inspector, upload=_png(f"{angle}.png"), angle=angle
        )
    return inspections.inspection_report_submit(report=report, actor=inspector)


def _seed_certificate(machine, certifier, inspector, component: str) -> RemanCertificate:
    today = timezone.localdate()
    certificate = certificates.reman_certificate_create(
        machine=machine,
        certifier=certifier,
        actor=inspector,
        data=certificates.RemanCertificateInput(
            subject="component",
            component_name=component,
            component_serial=f"DEMO-{machine.pk:04d}-{len(component)}",
            core_identification=f"【模拟数据】旧件来自设备 {machine.serial_number}",
            remanufacturer="湖南再制造示范企业（模拟）",
            performance_declaration=True,
            test_summary="台架试验各项指标达到原型新品标准（模拟数据）",
            label_text=f"再制造 REMANUFACTURED · {component}",
            label_location="本体铭牌旁",
            warranty_months=12,
            warranty_terms="交付后 12 个月或 2,000 小时，以先到者为准",
            valid_from=today,
            valid_until=today + dt.timedelta(days=3 * 365),
            inspection_report=InspectionReport.objects.filter(
                machine=machine, certifier=certifier, status="submitted"
            )
            .order_by("-submitted_at")
            .first(),
        ),
    )
    for stage in RemanStage.values:
        certificates.reman_stage_set(
            certificate=certificate,
            actor=inspector,
            stage=stage,
            passed=True,
            result="合格（模拟）",
            performed_on=today,
        )
    for name, disposition, quantity, mass in REMAN_PARTS[component]:
        certificates.reman_part_add(
            certificate=certificate,
            actor=inspector,
            name=name,
            disposition=disposition,
            quantity=quantity,
            unit_mass_kg=mass,
        )
    return certificates.reman_certificate_issue(certificate=certificate, actor=inspector)


def seed(*, log: Callable[[str], None]) -> None:
    with transaction.atomic():
        certifier, inspector = _certifier_and_inspector()
        machines = _demo_machines(certifier, log)
        reports = certs = 0
        for machine, scenario in zip(machines, SCENARIOS, strict=False):
            if not InspectionReport.objects.filter(machine=machine, certifier=certifier).exists():
                _seed_report(machine, certifier, inspector, scenario)
                reports += 1
        for machine, component in zip(machines, REMAN_PARTS, strict=False):
            if not RemanCertificate.objects.filter(
                machine=machine, certifier=certifier, status=CertificateStatus.ISSUED
            ).exists():
                _seed_certificate(machine, certifier, inspector, component)
                certs += 1
    log(f"certification: {reports} inspection reports and {certs} certificates issued")
