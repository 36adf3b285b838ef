"""The published leasing rules: documents a lessor needs before approving, and the format of
a 中登网 registration number. The rules page renders these; the services apply them.

Required documents per application kind are a data default here, overridable with the
``LEASING_REQUIRED_DOCUMENTS`` setting (``{"purchase": ["business_license", ...], ...}``),
so no product needs a migration to declare them.

Registration number: the 动产融资统一登记公示系统 (中登网) prints on each registration
certificate (登记证明) a registration number (登记证明编号) of 20 digits. We accept exactly
that, after removing spaces and hyphens a user may have typed, and refuse anything else
("abc", a contract number, a shortened number); the number is not verified against the
registry (which offers no public API), so the lessor remains responsible for it.
"""

import re

from django.conf import settings

from leasing.models import ApplicationKind, DocumentKind

REGISTRY_REFERENCE_DIGITS = 20
REGISTRY_REFERENCE = re.compile(rf"^[0-9]{{{REGISTRY_REFERENCE_DIGITS}}}$")
REGISTRY_REFERENCE_SEPARATORS = re.compile(r"[\s\-]+")

_KYC = (DocumentKind.BUSINESS_LICENSE, DocumentKind.ID_CARD, DocumentKind.BANK_STATEMENT)
DEFAULT_REQUIRED_DOCUMENTS: dict[str, tuple[str, ...]] = {
    ApplicationKind.PURCHASE: _KYC,
    ApplicationKind.PREAPPROVAL: _KYC,
    ApplicationKind.SALE_LEASEBACK: (*_KYC, DocumentKind.OWNERSHIP_PROOF),
}


def required_documents(kind: str) -> tuple[str, ...]:
    """The document kinds an application of this kind must carry before approval."""
    configured = getattr(settings, "LEASING_REQUIRED_DOCUMENTS", None) or {}
    return tuple(configured.get(kind, DEFAULT_REQUIRED_DOCUMENTS.get(kind, ())))


def required_document_rows() -> list[tuple[str, list[str]]]:
    """(application kind label, [document labels]) rows for the rules page."""
    return [
        (
            ApplicationKind(kind).label,
            [DocumentKind(doc).label for doc in required_documents(kind)],
        )
        for kind in ApplicationKind.values
    ]


def normalize_registry_reference(value: str) -> str | None:
    """The registration number in its stored form, or None when it is not one."""
    cleaned = REGISTRY_REFERENCE_SEPARATORS.sub("", value or "")
    return cleaned if REGISTRY_REFERENCE.match(cleaned) else None
