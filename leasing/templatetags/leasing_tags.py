"""Template filters of the leasing app."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def percent(rate: Decimal | str | None, places: int = 2) -> str:
    """A fraction as a percentage: Decimal("0.0769") → "7.69%"."""
    if rate in (None, ""):
        return "—"
    quantum = Decimal(1).scaleb(-int(places))
    value = (Decimal(str(rate)) * 100).quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{value}%"
