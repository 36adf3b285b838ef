"""The quote request: what a lessee or a salesperson types into the quote form."""

from dataclasses import dataclass
from decimal import Decimal

from .constants import MONTHS_PER_YEAR, ZERO, DepositTreatment


@dataclass(frozen=True, kw_only=True)
class QuoteInput:
    """Terms of a proposed finance lease; money in CNY, rates as fractions (0.06 = 6%).

    Keyword-only because a swapped pair of Decimal arguments would silently misprice a
    lease. Choice fields are typed ``str`` on purpose: raw form values are allowed in and
    unknown ones are reported by validation rather than raising while constructing.
    """

    price: Decimal
    down_payment: Decimal
    term_months: int
    annual_rate: Decimal
    method: str
    timing: str
    lease_type: str
    deposit: Decimal = ZERO
    fee: Decimal = ZERO
    buyout_price: Decimal = ZERO
    balloon: Decimal = ZERO
    deposit_treatment: str = DepositTreatment.RETURNED
    periods_per_year: int = MONTHS_PER_YEAR
