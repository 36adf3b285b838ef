"""Net present value and a bracketed internal rate of return on Decimal.

numpy-financial's ``irr`` goes through polynomial roots in floating point and returns NaN
when it finds no real root; a quote must never show NaN and must be reproducible to the
last digit, so the rate is found here by bisection on Decimal, which always converges once
a sign change is bracketed.
"""

from collections.abc import Sequence
from decimal import Decimal

from .constants import ZERO
from .money import engine_context

TOLERANCE = Decimal("1e-24")
MAX_BISECTIONS = 400
MAX_EXPANSIONS = 200
MAX_HALVINGS = 100  # 2^-100 of -1: still distinct from -1 at 40 digits
FIRST_UPPER_GUESS = Decimal("0.01")


class RateNotFoundError(ValueError):
    """The cash flows have no internal rate of return that can be bracketed."""


def net_present_value(rate: Decimal, flows: Sequence[Decimal]) -> Decimal:
    """Sum of flow_t / (1 + rate)^t, by Horner's rule (one division, no powers)."""
    discount = 1 / (1 + rate)
    total = ZERO
    for flow in reversed(flows):
        total = total * discount + flow
    return total


def periodic_irr(flows: Sequence[Decimal]) -> Decimal:
    """The rate per period j at which the flows' net present value is zero.

    Flows are oriented so the first non-zero one is positive (the borrower's view; the
    root does not change). Then, if the undiscounted sum is negative, NPV runs from that
    negative value at j=0 to a positive value as j grows, so a root above zero exists;
    when every later flow is an outflow except possibly the last (a lessee's flows, even
    with a refunded deposit) it is the only one above zero, by Descartes' rule of signs.
    A zero sum means a zero rate; a positive sum means a root between -1 and 0. Flows
    with more sign changes may have several roots: one of them is returned, not
    necessarily the one closest to zero. Raises ``RateNotFoundError``, never NaN.
    """
    with engine_context():
        oriented = _borrower_view(flows)
        at_zero = net_present_value(ZERO, oriented)
        if at_zero == 0:
            return ZERO
        if at_zero < 0:
            return _bisect(oriented, ZERO, _upper_bound(oriented))
        return _bisect(oriented, _lower_bound(oriented), ZERO)


def _borrower_view(flows: Sequence[Decimal]) -> list[Decimal]:
    first = next((flow for flow in flows if flow != 0), None)
    if first is None:
        raise RateNotFoundError("all cash flows are zero")
    return [flow if first > 0 else -flow for flow in flows]


def _upper_bound(flows: Sequence[Decimal]) -> Decimal:
    """Double a guess until NPV turns positive; it must, as the first flow dominates."""
    rate = FIRST_UPPER_GUESS
    for _ in range(MAX_EXPANSIONS):
        if net_present_value(rate, flows) > 0:
            return rate
        rate *= 2
    raise RateNotFoundError("no positive rate makes the net present value positive")


def _lower_bound(flows: Sequence[Decimal]) -> Decimal:
    """Move towards -1 until NPV turns negative, halving the distance to -1 each step."""
    distance = Decimal("0.5")
    for _ in range(MAX_HALVINGS):
        rate = distance - 1
        if net_present_value(rate, flows) < 0:
            return rate
        distance /= 2
    raise RateNotFoundError("no negative rate makes the net present value negative")


def _bisect(flows: Sequence[Decimal], low: Decimal, high: Decimal) -> Decimal:
    """Halve [low, high] keeping NPV(low) < 0 < NPV(high) until it is narrower than 1e-24."""
    for _ in range(MAX_BISECTIONS):
        middle = (low + high) / 2
        value = net_present_value(middle, flows)
        if value == 0 or high - low < TOLERANCE:
            return middle
        if value < 0:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def annualise(periodic_rate: Decimal, periods_per_year: int) -> tuple[Decimal, Decimal]:
    """(APR, EAR): the nominal m·j that PBOC disclosure asks for, and (1 + j)^m - 1."""
    apr = periodic_rate * periods_per_year
    ear = (1 + periodic_rate) ** periods_per_year - 1
    return apr, ear
