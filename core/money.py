"""Money: one precision for the whole project, Decimal everywhere, minor units only at the edge."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY_MAX_DIGITS = 14
MONEY_DECIMAL_PLACES = 2
CENT = Decimal("0.01")


class Currency(models.TextChoices):
    CNY = "CNY", _("人民币")
    USD = "USD", _("美元")


def money_field(verbose_name: str = "", **kwargs) -> models.DecimalField:
    """A DecimalField with the project's money precision."""
    return models.DecimalField(
        verbose_name,
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        **kwargs,
    )


def currency_field(**kwargs) -> models.CharField:
    return models.CharField(
        _("币种"), max_length=3, choices=Currency.choices, default=Currency.CNY, **kwargs
    )


def quantize_money(value: Decimal | int | str | float) -> Decimal:
    """Round to cents half-up; floats are converted through str to avoid binary noise."""
    if isinstance(value, float):
        value = str(value)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def to_minor_units(amount: Decimal, currency: str) -> int:
    """The one place where Decimal money becomes an integer count of minor units (fen/cents)."""
    del currency  # CNY and USD both have two decimal places.
    return int((quantize_money(amount) * 100).to_integral_value(rounding=ROUND_HALF_UP))


def from_minor_units(amount: int, currency: str) -> Decimal:
    del currency
    return quantize_money(Decimal(amount) / 100)


def format_cny(amount: Decimal | None) -> str:
    if amount is None:
        return "—"
    return f"¥{quantize_money(amount):,.2f}"
