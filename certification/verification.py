"""Verification codes: an HMAC over a canonical serialisation of what a document certifies.

The code is ``base32(HMAC-SHA256(secret, canonical JSON))[:20]`` with the secret taken from
``settings.CERTIFICATE_SECRET`` (falling back to ``SECRET_KEY``). It is never stored: the public
page recomputes it from the row as it is now, so

* a changed character in the code does not match (404),
* a row altered after issue yields a different code, so its printed QR no longer verifies
  (404), and
* an invented number does not exist (404).

Only stable facts enter the canonical form (ids, serial numbers, credit codes, values), not
display names that may be edited later (the inspector's name is the one printed at
submission, a fixed column). Facts added to a document type later (template answers, the
rolled-back meter explanation, the certificate's inspection report) enter the content only when
present, so documents issued before they existed keep their codes. Revocation is deliberately
outside the content, so a revoked document still resolves and its page says it was revoked.

Document kinds are registered by number prefix in :data:`DOCUMENT_KINDS`; the recycling app's
disposal certificates use the same mechanism.
"""

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string

CODE_LENGTH = 20
NUMBER_PATTERN = re.compile(r"^IL-(?P<prefix>[A-Z]{2})-\d{4}-\d{6}$")


@dataclass(frozen=True)
class DocumentKind:
    prefix: str
    model: str
    content: str
    statuses: tuple[str, ...]
    template: str


DOCUMENT_KINDS = {
    "IR": DocumentKind(
        "IR",
        "certification.InspectionReport",
        "certification.verification.report_content",
        ("submitted",),
        "certification/verify_report.html",
    ),
    "RC": DocumentKind(
        "RC",
        "certification.RemanCertificate",
        "certification.verification.reman_certificate_content",
        ("issued", "revoked"),
        "certification/verify_certificate.html",
    ),
    "DC": DocumentKind(
        "DC",
        "recycling.DisposalCertificate",
        "recycling.verification.disposal_certificate_content",
        ("issued", "revoked"),
        "recycling/verify_certificate.html",
    ),
}


def decimal_text(value: Decimal | None, places: int) -> str | None:
    return None if value is None else f"{value:.{places}f}"


def instant_text(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def date_text(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def canonical_bytes(content: dict[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def _secret() -> bytes:
    secret = settings.CERTIFICATE_SECRET or settings.SECRET_KEY
    if not secret:
        raise RuntimeError("CERTIFICATE_SECRET or SECRET_KEY must be set to sign certificates")
    return secret.encode("utf-8")


def code_for_content(content: dict[str, Any]) -> str:
    digest = hmac.new(_secret(), canonical_bytes(content), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii")[:CODE_LENGTH]


def kind_for_number(number: str) -> DocumentKind | None:
    match = NUMBER_PATTERN.match(number or "")
    return DOCUMENT_KINDS.get(match.group("prefix")) if match else None


def document_content(document: Any) -> dict[str, Any]:
    kind = kind_for_number(document.number)
    if kind is None:
        raise ValueError(f"not a document number: {document.number!r}")
    return {"kind": kind.prefix, **import_string(kind.content)(document)}


def verification_code(document: Any) -> str:
    """The code printed on the document and in its QR link."""
    return code_for_content(document_content(document))


def find_verified_document(number: str, code: str) -> tuple[DocumentKind, Any] | None:
    """The published document whose current content matches ``code``, else None."""
    kind = kind_for_number(number)
    if kind is None or len(code) != CODE_LENGTH:
        return None
    model = apps.get_model(kind.model)
    document = model.objects.filter(number=number, status__in=kind.statuses).first()
    if document is None:
        return None
    if not hmac.compare_digest(verification_code(document).encode(), code.encode("utf-8")):
        return None
    return kind, document


def verify_path(document: Any) -> str:
    from django.urls import reverse

    return reverse(
        "verify:certificate",
        kwargs={"number": document.number, "code": verification_code(document)},
    )


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
