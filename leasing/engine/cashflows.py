"""The lessee's cash flows, the basis of the disclosed true rate.

Time t counts periods from signing (t=0); the list has n+1 entries, t=0..n. Positive
means money reaching the lessee. Conventions:

* t=0: + principal P (the lessor pays for the machine on the lessee's behalf; the down
  payment is outside the financing), - deposit D, - fee F, and in advance the first rent.
* Rents: rent k at t=k in arrears, at t=k-1 in advance.
* Balloon B: with the last rent (t=n in arrears, t=n-1 in advance); it is the final
  instalment of the financing.
* End of term, t=n in both timings: - buy-out price L (留购价), and + D when the deposit
  is returned. In arrears this is the date of the last rent, as in DOMAIN.md.
* Deposit "offset": instead of a refund, D is set against the amounts due, latest first
  (buy-out at t=n, then the last rent and balloon, then earlier rents) until used up.
  Any remainder would be refunded at t=n; validation (D < P <= all amounts due) makes
  that impossible.
"""

from collections.abc import Sequence
from decimal import Decimal

from .constants import ZERO, DepositTreatment, Timing


def amounts_due(
    rents: Sequence[Decimal], *, timing: Timing, balloon: Decimal, buyout_price: Decimal
) -> list[Decimal]:
    """What the lessee owes at each t=0..n under the contract, before any deposit."""
    periods = len(rents)
    first_rent_time = 0 if timing == Timing.ADVANCE else 1
    due = [ZERO] * (periods + 1)
    for index, rent in enumerate(rents):
        due[first_rent_time + index] += rent
    due[first_rent_time + periods - 1] += balloon
    due[periods] += buyout_price
    return due


def offset_deposit(due: Sequence[Decimal], deposit: Decimal) -> tuple[list[Decimal], Decimal]:
    """Apply the deposit to the latest amounts due; return (still due, unused deposit)."""
    remaining = deposit
    reduced = list(due)
    for time in reversed(range(len(reduced))):
        applied = min(remaining, reduced[time])
        reduced[time] -= applied
        remaining -= applied
    return reduced, remaining


def lessee_cash_flows(
    *,
    principal: Decimal,
    rents: Sequence[Decimal],
    timing: Timing,
    balloon: Decimal = ZERO,
    deposit: Decimal = ZERO,
    fee: Decimal = ZERO,
    buyout_price: Decimal = ZERO,
    deposit_treatment: DepositTreatment = DepositTreatment.RETURNED,
) -> list[Decimal]:
    """Net cash flow to the lessee at each t=0..n (see the module docstring)."""
    due = amounts_due(rents, timing=timing, balloon=balloon, buyout_price=buyout_price)
    refund = deposit
    if deposit_treatment == DepositTreatment.OFFSET:
        due, refund = offset_deposit(due, deposit)
    flows = [-amount for amount in due]
    flows[0] += principal - deposit - fee
    flows[-1] += refund
    return flows
