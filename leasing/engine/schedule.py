"""The rent schedule (租金偿还计划表): how each rent splits into principal and interest.

Rounding rule: interest is rounded to the fen on the balance actually outstanding, the
principal part is the rent minus that interest, and the final row settles what is left, so
the principal parts always sum exactly to P - B and no fen is lost or invented.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .constants import ZERO, Timing
from .money import round_money


@dataclass(frozen=True)
class ScheduleRow:
    """One rent. ``balance`` is the principal still owed after this rent's principal part.

    On the last row the balance equals the balloon, which is paid on the same date and
    shown in ``balloon`` (zero on every other row), so balance_k = balance_k-1 - principal_k
    holds on every row.
    """

    period: int
    rent: Decimal
    principal: Decimal
    interest: Decimal
    balance: Decimal
    balloon: Decimal = ZERO


def amortise(
    principal: Decimal,
    rate: Decimal,
    rents: Sequence[Decimal],
    *,
    timing: Timing,
    balloon: Decimal = ZERO,
    fixed_last_rent: bool = False,
) -> list[ScheduleRow]:
    """Split planned rents into interest at ``rate`` per period and principal.

    Interest accrues on the balance between payments: in advance the first rent is paid
    at signing and carries no interest. The last planned rent is replaced by whatever
    clears the balance (down to the balloon) plus its interest, absorbing all rounding;
    with ``fixed_last_rent`` (flat rate, whose total is fixed by contract) the last rent
    is kept and its interest part takes the difference instead.
    """
    rows: list[ScheduleRow] = []
    balance = principal
    for period, rent in enumerate(rents[:-1], start=1):
        interest = _interest(balance, rate, timing, period)
        balance -= rent - interest
        rows.append(ScheduleRow(period, rent, rent - interest, interest, balance))
    last = _last_row(balance, rate, rents, timing, balloon, fixed_last_rent=fixed_last_rent)
    rows.append(last)
    return rows


def _interest(balance: Decimal, rate: Decimal, timing: Timing, period: int) -> Decimal:
    if timing == Timing.ADVANCE and period == 1:
        return ZERO
    return round_money(balance * rate)


def _last_row(
    balance: Decimal,
    rate: Decimal,
    rents: Sequence[Decimal],
    timing: Timing,
    balloon: Decimal,
    *,
    fixed_last_rent: bool,
) -> ScheduleRow:
    period = len(rents)
    principal_part = balance - balloon
    if fixed_last_rent:
        rent = rents[-1]
        interest = rent - principal_part
    else:
        interest = _interest(balance, rate, timing, period)
        rent = principal_part + interest
    return ScheduleRow(period, rent, principal_part, interest, balloon, balloon)
