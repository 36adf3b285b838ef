"""Filters of the back-test and model card pages: fractions as percentages."""

from django import template

from valuation.formatting import percent as _percent

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.123 -> "12.3%"; empty for a missing figure."""
    return _percent(value)


@register.filter
def signed_percent(value) -> str:
    """-0.05 -> "−5.0%" (a true minus sign), 0.05 -> "+5.0%"."""
    return _percent(value, signed=True)


@register.filter
def thousands(value) -> str:
    """12345 -> "12,345" in every language (as the figures written by valuation.model_cards)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return ""
