"""Template filters of the leasing app."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from leasing.models import DocumentKind
from leasing.services.applications import missing_documents

register = template.Library()


@register.filter
def percent(rate: Decimal | str | None, places: int = 2) -> str:
    """A fraction as a percentage: Decimal("0.0769") → "7.69%"."""
    if rate in (None, ""):
        return "—"
    quantum = Decimal(1).scaleb(-int(places))
    value = (Decimal(str(rate)) * 100).quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{value}%"


@register.filter
def missing_document_labels(application) -> list[str]:
    """Labels of the documents the rules require before approval that are not uploaded yet."""
    return [str(DocumentKind(kind).label) for kind in missing_documents(application)]
