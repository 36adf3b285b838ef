"""Recycling's card on a machine's passport: the disposal certificates (end of life).

Registered in ``settings.MACHINE_PASSPORT_SECTIONS``; the certification app's passport calls
:func:`end_of_life_section` without importing recycling.
"""

from dataclasses import dataclass
from typing import Any

from core.documents import verify_path
from marketplace.models import Machine
from recycling.models import DisposalCertificate
from recycling.selectors import machine_disposal_certificates


@dataclass(frozen=True)
class EndOfLifeSection:
    documents: list[DisposalCertificate]
    rows: list[dict[str, Any]]
    key: str = "end_of_life"
    template: str = "recycling/passport_section.html"


def end_of_life_section(machine: Machine) -> EndOfLifeSection:
    certificates = machine_disposal_certificates(machine)
    rows = [
        {
            "number": d.number,
            "completed_on": d.completed_on.isoformat(),
            "recoverability_rate": str(d.recoverability_rate),
            "recyclability_rate": str(d.recyclability_rate),
            "verify_url": verify_path(d),
        }
        for d in certificates
    ]
    return EndOfLifeSection(documents=certificates, rows=rows)
