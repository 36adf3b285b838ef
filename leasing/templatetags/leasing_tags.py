"""Template filters of the leasing app."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.translation import gettext as _

from leasing.models import DocumentKind, LeaseType
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


def vat_texts() -> dict[str, str]:
    """What the VAT in a quote is, by lease type (leasing.engine.tax, 财税〔2016〕36号);
    ``%(rate)s`` is the rate the engine applied. Shared with calculator.js."""
    return {
        LeaseType.DIRECT: _(
            "增值税（直租：有形动产融资租赁服务，%(rate)s，按全部租金计，含在租金中）"
        ),
        LeaseType.SALE_LEASEBACK: _(
            "增值税（售后回租：贷款服务，%(rate)s，仅按利息部分计，含在租金中）"
        ),
    }


@register.filter
def vat_label(lease_type: str, rate: Decimal | str | None) -> str:
    """ "增值税（直租：有形动产融资租赁服务，13%，按全部租金计，含在租金中）"."""
    texts = vat_texts()
    text = texts.get(lease_type, texts[LeaseType.DIRECT])
    return text % {"rate": percent(rate, 0)}
