from decimal import Decimal

from django import template

from core.geo import place_name
from core.money import format_cny

register = template.Library()


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key, "") if mapping else ""


@register.filter
def cny(amount: Decimal | None) -> str:
    return format_cny(amount)


@register.filter
def place(name: str) -> str:
    """A stored city, province or district name in the active language (core.geo)."""
    return place_name(name)
