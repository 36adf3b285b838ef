"""Canonical content of a disposal certificate for its verification code (the mechanism is
``core.documents``; the kind is registered as ``recycling.documents.DISPOSAL_CERTIFICATE``)."""

from typing import Any

from core.documents import date_text, decimal_text, instant_text


def disposal_certificate_content(certificate) -> dict[str, Any]:
    machine = certificate.machine
    materials = sorted(
        (line.material, line.treatment, decimal_text(line.mass_kg, 3))
        for line in certificate.materials.all()
    )
    return {
        "number": certificate.number,
        "machine": {
            "id": machine.pk,
            "brand": machine.brand.slug,
            "serial": machine.serial_number,
            "year": machine.year_of_manufacture,
        },
        "recycler": {
            "id": certificate.recycler_id,
            "credit_code": certificate.recycler.credit_code,
        },
        "issued_by": certificate.issued_by_id,
        "completed_on": date_text(certificate.completed_on),
        "total_mass_kg": decimal_text(certificate.total_mass_kg, 3),
        "recyclable_mass_kg": decimal_text(certificate.recyclable_mass_kg, 3),
        "recoverable_mass_kg": decimal_text(certificate.recoverable_mass_kg, 3),
        "recyclability_rate": decimal_text(certificate.recyclability_rate, 2),
        "recoverability_rate": decimal_text(certificate.recoverability_rate, 2),
        "materials": [list(line) for line in materials],
        "issued_at": instant_text(certificate.issued_at),
    }
