"""``{{ amount|estimate }}``: a valuation or comparable price rounded for reading
(core.estimates); exact amounts (prices, fees, rents) keep ``|cny``."""

from decimal import Decimal

from django import template

from core.estimates import format_estimate

register = template.Library()


@register.filter
def estimate(amount: Decimal | None) -> str:
    return format_estimate(amount)
