"""Closed vocabularies, limits and numeric quanta of the quote engine.

The choice types are ``StrEnum`` so that plain strings from a form or an API payload
compare equal to the members: callers may pass either.
"""

from decimal import Decimal
from enum import StrEnum


class Method(StrEnum):
    """How the rents are derived from the amount financed."""

    ANNUITY = "annuity"  # 等额本息, equal instalments
    EQUAL_PRINCIPAL = "equal_principal"  # 等额本金, equal principal parts
    FLAT = "flat"  # 平息, flat rate on the original principal


class Timing(StrEnum):
    """When, inside each period, the rent falls due."""

    ARREARS = "arrears"  # 后付, at the end of each period
    ADVANCE = "advance"  # 先付, at the start of each period


class LeaseType(StrEnum):
    """The legal form of the lease, which decides its VAT treatment."""

    DIRECT = "direct"  # 直租
    SALE_LEASEBACK = "sale_leaseback"  # 售后回租


class DepositTreatment(StrEnum):
    """What happens to the security deposit (保证金) at the end of the lease."""

    RETURNED = "returned"
    OFFSET = "offset"


ZERO = Decimal(0)
CENT = Decimal("0.01")
RATE_QUANTUM = Decimal("0.0001")

MAX_TERM_MONTHS = 120
# Far above any machine's price, and small enough to keep 40-digit arithmetic exact.
MAX_AMOUNT = Decimal(10) ** 12
MAX_ANNUAL_RATE = Decimal(1)
MONTHS_PER_YEAR = 12
# Payment frequencies whose periods are a whole number of months.
PERIODS_PER_YEAR_CHOICES = (1, 2, 3, 4, 6, 12)
