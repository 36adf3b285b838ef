"""Estimates (valuations, their ranges, comparable prices) as people read them.

A model's ¥5,167,847.37 claims a precision it does not have: shown to buyers it reads
¥517 万 in Chinese and ¥5,168,000 in English. The exact Decimal stays in the database and
the API; only the display is rounded, here, in one place.

Rules (half-up rounding):

* Chinese, from ¥10,000: in 万, one decimal below 100 万 (¥8.5 万, ¥51.7 万; a trailing
  ".0" is dropped), whole 万 from 100 万 (¥517 万, ¥1,235 万).
* English, from ¥10,000: to the nearest ¥1,000 (¥85,000, ¥5,168,000).
* Below ¥10,000, both: to the nearest ¥100 (¥8,500).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language

TEN_THOUSAND = Decimal(10000)
HUNDRED = Decimal(100)
THOUSAND = Decimal(1000)


def _round_to(amount: Decimal, step: Decimal) -> Decimal:
    return (amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def _is_chinese(language: str | None) -> bool:
    return (language or get_language() or "zh-hans").lower().startswith("zh")


def format_estimate(amount: Decimal | int | None, language: str | None = None) -> str:
    """``amount`` rounded for display in ``language`` (default: the active language)."""
    if amount is None:
        return "—"
    amount = Decimal(amount)
    sign = "−" if amount < 0 else ""
    amount = abs(amount)
    if _round_to(amount, HUNDRED) < TEN_THOUSAND:
        return f"{sign}¥{_round_to(amount, HUNDRED):,.0f}"
    if not _is_chinese(language):
        return f"{sign}¥{_round_to(amount, THOUSAND):,.0f}"
    wan = amount / TEN_THOUSAND
    if wan.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) < HUNDRED:
        text = f"{wan.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):f}".removesuffix(".0")
    else:
        text = f"{wan.quantize(Decimal(1), rounding=ROUND_HALF_UP):,.0f}"
    return f"{sign}¥{text} 万"


def format_estimate_range(
    low: Decimal | None, high: Decimal | None, language: str | None = None
) -> str:
    """ "¥460 万 – ¥580 万": both ends rounded by the same rule."""
    return f"{format_estimate(low, language)} – {format_estimate(high, language)}"
