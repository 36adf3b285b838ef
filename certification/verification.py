"""What certification's documents certify: the canonical content their codes sign.

The mechanism (numbers, the HMAC code, the registry of kinds) is ``core.documents``; the
kinds are declared in ``certification.documents``. Only stable facts enter the canonical form
(ids, serial numbers, credit codes, values), not display names that may be edited later (the
inspector's name is the one printed at submission, a fixed column). Facts added to a document
type later (template answers, the rolled-back meter explanation, the certificate's inspection
report) enter the content only when present, so documents issued before they existed keep
their codes. Revocation is deliberately outside the content, so a revoked document still
resolves and its page says it was revoked.

The core names below are re-exported for this app's callers.
"""

from typing import Any

from core.documents import (
    CODE_LENGTH,
    NUMBER_PATTERN,
    code_for_content,
    date_text,
    decimal_text,
    document_content,
    find_verified_document,
    instant_text,
    kind_for_number,
    verification_code,
    verify_path,
)

__all__ = [
    "CODE_LENGTH",
    "NUMBER_PATTERN",
    "code_for_content",
    "document_content",
    "find_verified_document",
    "kind_for_number",
    "reman_certificate_content",
    "report_content",
    "verification_code",
    "verify_path",
]


# --- canonical content of this app's documents ----------------------------------------------


def _machine_identity(machine) -> dict[str, Any]:
    return {
        "id": machine.pk,
        "brand": machine.brand.slug,
        "model_id": machine.equipment_model_id,
        "serial": machine.serial_number,
        "year": machine.year_of_manufacture,
    }


def _organization_identity(organization) -> dict[str, Any]:
    return {"id": organization.pk, "credit_code": organization.credit_code}


def report_content(report) -> dict[str, Any]:
    items = sorted(
        (
            item.system,
            item.rating,
            decimal_text(item.wear_percent, 2),
            item.comment,
        )
        for item in report.items.all()
    )
    return {
        "number": report.number,
        "version": report.version,
        "previous": report.previous.number if report.previous_id else None,
        "machine": _machine_identity(report.machine),
        "certifier": _organization_identity(report.certifier),
        "inspector": report.inspector_id,
        "template": report.template_key,
        "inspected_on": date_text(report.inspected_on),
        "location": report.location,
        "plate_number": report.plate_number,
        "serial_number_observed": report.serial_number_observed,
        "hour_meter_reading": report.hour_meter_reading,
        "fire_damage": report.fire_damage,
        "flood_damage": report.flood_damage,
        "structural_accident": report.structural_accident,
        "is_parts_machine": report.is_parts_machine,
        "cold_start": report.cold_start,
        "functional_test": report.functional_test,
        "test_notes": report.test_notes,
        "engine_oil_sample": report.engine_oil_sample,
        "hydraulic_oil_sample": report.hydraulic_oil_sample,
        "coolant_sample": report.coolant_sample,
        "fluid_notes": report.fluid_notes,
        "summary": report.summary,
        "grade": report.grade,
        "grade_reasons": list(report.grade_reasons),
        "items": [list(item) for item in items],
        "hour_meter_photo": report.hour_meter_photo.name or None,
        "photos": sorted([photo.system, photo.image.name] for photo in report.photos.all()),
        "submitted_at": instant_text(report.submitted_at),
        **_present(
            tradeable_checks=dict(report.tradeable_checks or {}),
            accident_checks=dict(report.accident_checks or {}),
            defects=sorted([i.system, sorted(i.defects)] for i in report.items.all() if i.defects),
            photo_angles=sorted(p.angle for p in report.photos.all() if p.angle),
            hour_meter_explanation=report.hour_meter_explanation,
            inspector_name=report.inspector_name,
        ),
    }


def _present(**values: Any) -> dict[str, Any]:
    """The keys whose value is not empty (see the module docstring on added facts)."""
    return {key: value for key, value in values.items() if value not in (None, "", [], {})}


def reman_certificate_content(certificate) -> dict[str, Any]:
    stages = sorted(
        (stage.stage, date_text(stage.performed_on), stage.passed, stage.result)
        for stage in certificate.stages.all()
    )
    parts = sorted(
        (
            part.name,
            part.part_number,
            part.disposition,
            part.quantity,
            decimal_text(part.unit_mass_kg, 3),
        )
        for part in certificate.parts.all()
    )
    return {
        "number": certificate.number,
        "version": certificate.version,
        "previous": certificate.previous.number if certificate.previous_id else None,
        "machine": _machine_identity(certificate.machine),
        "certifier": _organization_identity(certificate.certifier),
        "issued_by": certificate.issued_by_id,
        "subject": certificate.subject,
        "component_name": certificate.component_name,
        "component_part_number": certificate.component_part_number,
        "component_serial": certificate.component_serial,
        "core_identification": certificate.core_identification,
        "remanufacturer": certificate.remanufacturer,
        "performance_declaration": certificate.performance_declaration,
        "test_summary": certificate.test_summary,
        "label_text": certificate.label_text,
        "label_location": certificate.label_location,
        "warranty_months": certificate.warranty_months,
        "warranty_terms": certificate.warranty_terms,
        "valid_from": date_text(certificate.valid_from),
        "valid_until": date_text(certificate.valid_until),
        "reused_mass_kg": decimal_text(certificate.reused_mass_kg, 3),
        "total_mass_kg": decimal_text(certificate.total_mass_kg, 3),
        "remanufacturing_rate": decimal_text(certificate.remanufacturing_rate, 2),
        "stages": [list(stage) for stage in stages],
        "parts": [list(part) for part in parts],
        "issued_at": instant_text(certificate.issued_at),
        **_present(
            inspection_report=(
                certificate.inspection_report.number if certificate.inspection_report_id else None
            )
        ),
    }
