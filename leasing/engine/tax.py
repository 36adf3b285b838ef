"""VAT contained in a lease's payments, by lease type.

Rates and treatment follow the VAT reform notice Caishui [2016] No. 36 (财税〔2016〕36号):

* A direct finance lease (直租) is a lease of tangible movables (有形动产融资租赁服务):
  VAT falls on the whole rent and the lessee, as buyer of a taxable service, may deduct
  it. The rate set at 17% in 2016 became 16% on 2018-05-01 (Caishui [2018] No. 32) and
  13% on 2019-04-01 (MOF/STA/GAC Announcement 2019 No. 39).
* A financing sale-and-leaseback (融资性售后回租) is a loan service (贷款服务) at 6%; the
  taxable amount excludes the principal, so VAT falls on the interest part only, and
  input VAT on loan services is not deductible (No. 36, annex 1, art. 27(6)).

Amounts are VAT-inclusive; VAT is computed per rent, as it is invoiced, and summed.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .constants import ZERO, LeaseType
from .money import round_money
from .schedule import ScheduleRow

VAT_RATE_DIRECT_LEASE = Decimal("0.13")
"""Direct lease: tangible-movables leasing, 13% since 2019-04-01 (see module docstring)."""

VAT_RATE_SALE_LEASEBACK = Decimal("0.06")
"""Sale-and-leaseback: loan service, 6% on interest, not deductible (Caishui [2016] No. 36)."""


@dataclass(frozen=True)
class VatBreakdown:
    """VAT inside the lessee's payments, and whether the lessee can deduct it."""

    amount: Decimal
    rate: Decimal
    deductible: bool


def lease_vat(lease_type: LeaseType, schedule: Sequence[ScheduleRow]) -> VatBreakdown:
    """VAT in the schedule: on rents and balloon (direct) or on interest (leaseback)."""
    if lease_type == LeaseType.DIRECT:
        rents = (row.rent + row.balloon for row in schedule)
        amount = vat_contained(rents, VAT_RATE_DIRECT_LEASE)
        return VatBreakdown(amount, VAT_RATE_DIRECT_LEASE, deductible=True)
    interest = (row.interest for row in schedule)
    amount = vat_contained(interest, VAT_RATE_SALE_LEASEBACK)
    return VatBreakdown(amount, VAT_RATE_SALE_LEASEBACK, deductible=False)


def vat_contained(amounts: Iterable[Decimal], rate: Decimal) -> Decimal:
    """Sum of amount·rate/(1 + rate), each rounded to the fen like an invoice line."""
    return sum((round_money(amount * rate / (1 + rate)) for amount in amounts), ZERO)
