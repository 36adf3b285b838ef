"""Plain values pricing works on: what the buyer asked, the machine, the product's terms.

Built by :mod:`leasing.quoting.selectors` from the database; :mod:`leasing.quoting.pricing`
reads nothing else, so a quote can be computed (and tested) without the ORM.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from leasing.engine import Method
from leasing.models import LeaseType

DEFAULT_TERM_MONTHS = 36
ZERO = Decimal(0)


@dataclass(frozen=True)
class QuoteRequest:
    """What the buyer chose in the calculator; ``None`` means "the product's default"."""

    down_payment: Decimal | None = None
    term_months: int | None = None
    method: str = Method.ANNUITY.value
    timing: str = "arrears"
    lease_type: str = LeaseType.DIRECT.value
    balloon: Decimal = ZERO


@dataclass(frozen=True)
class MachineFacts:
    """The machine attributes a product's eligibility depends on."""

    category_id: int
    year_of_manufacture: int | None
    current_hours: int | None
    condition_grade: str


@dataclass(frozen=True, kw_only=True)
class ProductTerms:
    """A lease product as pricing needs it: limits, shares and the rate of each term.

    ``rates`` maps ``(term months, condition grade)`` to the nominal annual rate, for every
    term the product offers and every grade one of its rate bands names, plus grade ``""``
    (the rate for any other grade); it is evaluated from the product's own rule
    (``LeaseProduct.annual_rate_for``) when the terms are read. ``categories`` are the
    eligible category ids including descendants.
    """

    pk: int
    categories: frozenset[int]
    max_machine_age_years: int | None
    max_hours: int | None
    term_options: tuple[int, ...]
    rates: Mapping[tuple[int, str], Decimal]
    min_down_payment_share: Decimal
    max_ltv: Decimal
    deposit_share: Decimal
    fee_fixed: Decimal
    fee_share: Decimal
    buyout_price: Decimal
    balloon_allowed: bool
    lease_types: tuple[str, ...]

    def term_choices(self) -> list[int]:
        return list(self.term_options)

    def annual_rate_for(self, *, term_months: int, condition_grade: str = "") -> Decimal:
        rate = self.rates.get((term_months, condition_grade))
        return rate if rate is not None else self.rates[(term_months, "")]
