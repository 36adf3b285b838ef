"""Contractual rents for each repayment method, rounded to the fen.

These are the *planned* rents. The schedule later lets the final rent absorb the rounding
of all earlier ones (see ``schedule.amortise``), which is why every function here returns
a value for every period, the last one included.
"""

from decimal import Decimal

from .constants import ZERO, Timing
from .money import round_money


def annuity_factor(rate: Decimal, periods: int, timing: Timing) -> Decimal:
    """Present value at t=0 of 1 per period for ``periods`` periods (a-angle-n or its due).

    Arrears: (1 - v^n) / i. Advance: the same times (1 + i), since every rent is paid one
    period earlier. ``rate`` must be positive; the zero-rate limit is simply ``periods``.
    """
    factor = (1 - (1 + rate) ** -periods) / rate
    return factor * (1 + rate) if timing == Timing.ADVANCE else factor


def balloon_present_value(balloon: Decimal, rate: Decimal, periods: int, timing: Timing) -> Decimal:
    """Value at t=0 of a balloon paid together with the last rent.

    The last rent falls at t=n in arrears but at t=n-1 in advance, so the balloon is
    discounted n or n-1 periods respectively.
    """
    last_payment_time = periods - 1 if timing == Timing.ADVANCE else periods
    return balloon * (1 + rate) ** -last_payment_time


def annuity_rent(
    principal: Decimal,
    rate: Decimal,
    periods: int,
    *,
    timing: Timing,
    balloon: Decimal = ZERO,
) -> Decimal:
    """Level rent (等额本息) that amortises ``principal`` down to ``balloon``.

    R = (P - PV(B)) / annuity_factor. Without a balloon this is P·i(1+i)^n/((1+i)^n - 1)
    in arrears and P·i(1+i)^(n-1)/((1+i)^n - 1) in advance; with a balloon in arrears it
    is (P - B/(1+i)^n)·i/(1 - (1+i)^-n); in advance (balloon due with the last rent, at
    t=n-1) it is (P - B/(1+i)^(n-1))·i/((1 - (1+i)^-n)(1+i)). At a zero rate: (P - B)/n.
    """
    if rate == 0:
        return round_money((principal - balloon) / periods)
    financed_by_rents = principal - balloon_present_value(balloon, rate, periods, timing)
    return round_money(financed_by_rents / annuity_factor(rate, periods, timing))


def equal_principal_rents(
    principal: Decimal, rate: Decimal, periods: int, *, timing: Timing
) -> list[Decimal]:
    """Rents with equal principal parts (等额本金): k-th rent P/n + (P - (k-1)·P/n)·i.

    Each rent carries the interest accrued on the balance since the previous payment. In
    advance the first rent is paid at signing, before any interest has accrued, so it is
    P/n alone; rents 2..n follow the same formula as in arrears, because the balance after
    k-1 payments is the same and has been outstanding for one period.
    """
    part = principal / periods
    rents = [round_money(part + (principal - (k - 1) * part) * rate) for k in range(1, periods + 1)]
    if timing == Timing.ADVANCE:
        rents[0] = round_money(part)
    return rents


def flat_rents(
    principal: Decimal, annual_rate: Decimal, periods: int, periods_per_year: int
) -> list[Decimal]:
    """Level rents at a flat rate (平息): R = P(1 + r·n/m)/n.

    Flat interest is charged on the original principal for the whole term, which is why
    its true rate is far above the quoted one. The contract fixes the total P(1 + r·n/m),
    so the last rent takes the rounding difference and the rents sum to it exactly. The
    timing does not change the amounts, only when they are paid (and so the true rate).
    """
    total = principal * (1 + annual_rate * periods / periods_per_year)
    rent = round_money(total / periods)
    return [rent] * (periods - 1) + [round_money(total) - rent * (periods - 1)]
