"""Rounding and the Decimal context, in one place, so every figure is computed alike."""

from contextlib import AbstractContextManager
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)

from .constants import CENT, RATE_QUANTUM

# 40 significant digits keep (1 + i)^n and the IRR exact far beyond the fen whatever
# context the caller has set; the traps turn a silent NaN or Infinity into an exception.
ENGINE_CONTEXT = Context(
    prec=40, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow]
)


def engine_context() -> AbstractContextManager[Context]:
    """Run a block in the engine's own Decimal context, leaving the caller's untouched."""
    return localcontext(ENGINE_CONTEXT)


def round_money(amount: Decimal) -> Decimal:
    """Round to the fen (0.01 CNY) half-up, the rounding lessors print on rent schedules."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP, context=ENGINE_CONTEXT)


def round_rate(rate: Decimal) -> Decimal:
    """Round a rate fraction to four places (a hundredth of a percent) for disclosure."""
    return rate.quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP, context=ENGINE_CONTEXT)
