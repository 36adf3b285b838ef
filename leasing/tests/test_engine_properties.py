"""The quote engine against numpy-financial, an independent float implementation.

Hundreds of generated leases (prices 10k-5M, 0-90% down, 1-120 months, 0-30%, both
timings, balloons, deposits, fees, buy-outs). Derandomized with a bounded example count,
so the suite is stable, fast, and writes no example database.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import numpy_financial as npf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leasing.engine import QuoteInput, QuoteResult, quote

CASES = settings(
    max_examples=300,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Case:
    inp: QuoteInput
    result: QuoteResult

    @property
    def periods(self) -> int:
        return len(self.result.payments)

    @property
    def rate(self) -> float:
        return float(self.inp.annual_rate) / self.inp.periods_per_year

    @property
    def advance(self) -> bool:
        return self.inp.timing == "advance"


def share(total: Decimal, per_mille: int) -> Decimal:
    return (total * per_mille / 1000).quantize(CENT, rounding=ROUND_HALF_UP)


@st.composite
def leases(draw: st.DrawFn, method: str) -> Case:
    price = Decimal(draw(st.integers(1_000_000, 500_000_000))) / 100
    down_payment = share(price, draw(st.integers(0, 900)))
    principal = price - down_payment
    timing = draw(st.sampled_from(["arrears", "advance"]))
    per_year = draw(st.sampled_from([12, 12, 12, 4]))
    months_per_period = 12 // per_year
    periods = draw(st.integers(2 if timing == "advance" else 1, 120 // months_per_period))
    has_balloon = method == "annuity" and draw(st.booleans())
    inp = QuoteInput(
        price=price,
        down_payment=down_payment,
        term_months=periods * months_per_period,
        annual_rate=Decimal(draw(st.integers(0, 3000))) / 10000,
        method=method,
        timing=timing,
        lease_type=draw(st.sampled_from(["direct", "sale_leaseback"])),
        deposit=share(principal, draw(st.integers(0, 300))),
        fee=share(principal, draw(st.integers(0, 50))),
        buyout_price=Decimal(draw(st.integers(0, 100_000))) / 100,
        balloon=share(principal, draw(st.integers(1, 500))) if has_balloon else Decimal(0),
        deposit_treatment=draw(st.sampled_from(["returned", "offset"])),
        periods_per_year=per_year,
    )
    return Case(inp, quote(inp))


def reference_flows(case: Case) -> list[float]:
    """The lessee's flows rebuilt in floats from the documented conventions."""
    inp, n = case.inp, case.periods
    shift = 0 if case.advance else 1
    due = [0.0] * (n + 1)
    for index, rent in enumerate(case.result.payments):
        due[index + shift] += float(rent)
    due[n - 1 + shift] += float(inp.balloon)
    due[n] += float(inp.buyout_price)
    refund = float(inp.deposit)
    if inp.deposit_treatment == "offset":
        for time in range(n, -1, -1):
            applied = min(refund, due[time])
            due[time] -= applied
            refund -= applied
    flows = [-amount for amount in due]
    flows[0] += float(case.result.principal - inp.deposit - inp.fee)
    flows[n] += refund
    return flows


def check_schedule_invariants(case: Case) -> None:
    result, balloon = case.result, case.inp.balloon
    assert sum(row.principal for row in result.schedule) == result.principal - balloon
    assert result.schedule[-1].balance == balloon
    assert all(row.rent == row.principal + row.interest for row in result.schedule)
    assert all(row.principal >= 0 and row.interest >= 0 for row in result.schedule)
    assert result.total_interest == sum(result.payments) + balloon - result.principal


def reference_irr(flows: list[float]) -> float:
    """``npf.irr``, unless it picked a spurious negative root of a costly lease.

    ``npf.irr`` returns the root closest to zero. A deposit refunded at the end gives the
    flows a second sign change and so a second root, below zero; on very short leases
    with a large deposit it can be the closer one, although the lessee pays more than it
    receives. The cost is then the unique root above zero, taken from the same roots.
    """
    rate = float(npf.irr(flows))
    # Flows summing to zero (a 0% lease) have their root at exactly zero; float noise can
    # put npf.irr a hair below it, which is not the spurious root handled below.
    if rate >= 0 or sum(flows) >= -1e-6:
        return rate
    roots = np.roots(flows[::-1])
    above_zero = [1 / x.real - 1 for x in roots if abs(x.imag) < 1e-12 and 0 < x.real < 1]
    assert len(above_zero) == 1
    return above_zero[0]


def check_apr(case: Case) -> None:
    irr = reference_irr(reference_flows(case))
    per_year = case.inp.periods_per_year
    assert abs(float(case.result.apr_unrounded) - per_year * irr) < 1e-6
    assert abs(float(case.result.ear_unrounded) - ((1 + irr) ** per_year - 1)) < 1e-6


def rounding_drift(case: Case) -> float:
    """Bound on the last rent's departure: a fen per period, accumulated at the rate."""
    rate, n = case.rate, case.periods
    accumulated = n if rate == 0 else ((1 + rate) ** n - 1) / rate
    return 0.01 * accumulated + 0.01


@given(leases("annuity"))
@CASES
def test_annuity_matches_numpy_financial(case: Case) -> None:
    # A balloon is paid with the last rent: at t=n in arrears, at t=n-1 in advance, which
    # is worth B(1+i) at t=n, where npf.pmt places its future value.
    balloon = float(case.inp.balloon) * (1 + case.rate if case.advance else 1)
    when = "begin" if case.advance else "end"
    expected = -npf.pmt(case.rate, case.periods, float(case.result.principal), -balloon, when)
    payments = case.result.payments
    assert all(abs(float(rent) - expected) <= 0.005 + 1e-9 for rent in payments[:-1])
    assert abs(float(payments[-1]) - expected) <= rounding_drift(case)
    check_schedule_invariants(case)
    check_apr(case)


@given(leases("equal_principal"))
@CASES
def test_equal_principal_matches_its_formula(case: Case) -> None:
    principal, rate, n = float(case.result.principal), case.rate, case.periods
    for k, rent in enumerate(case.result.payments[:-1], start=1):
        accrued = 0.0 if case.advance and k == 1 else (principal - (k - 1) * principal / n) * rate
        assert abs(float(rent) - (principal / n + accrued)) <= 0.005 + 1e-9
    check_schedule_invariants(case)
    check_apr(case)


@given(leases("flat"))
@CASES
def test_flat_rate_rents_and_true_rate(case: Case) -> None:
    inp, n = case.inp, case.periods
    total = float(case.result.principal) * (1 + float(inp.annual_rate) * n / inp.periods_per_year)
    assert abs(float(case.result.payments[0]) - total / n) <= 0.005 + 1e-9
    assert abs(float(sum(case.result.payments)) - total) <= 0.005 + 1e-9
    # The point of disclosure: the true rate is never below the flat one (a fen of
    # rounding on a small lease can move it by less than 0.0001).
    assert case.result.apr_unrounded > inp.annual_rate - Decimal("0.0001")
    check_schedule_invariants(case)
    check_apr(case)
