"""The Decimal IRR solver on cash flows with known answers."""

from decimal import Decimal

import pytest

from leasing.engine import RateNotFoundError, annualise, net_present_value, periodic_irr


def flows(*amounts: str | int) -> list[Decimal]:
    return [Decimal(amount) for amount in amounts]


@pytest.mark.parametrize(
    ("cash_flows", "expected"),
    [
        # numpy-financial's documented examples (investor view: first flow negative).
        (flows(-100, 39, 59, 55, 20), Decimal("0.28095")),
        (flows(-100, 0, 0, 74), Decimal("-0.09550")),
        (flows(-100, 100, 0, -7), Decimal("-0.08330")),
        (flows(-100, 100, 0, 7), Decimal("0.06206")),
    ],
)
def test_matches_numpy_financial_examples(cash_flows: list[Decimal], expected: Decimal) -> None:
    assert periodic_irr(cash_flows).quantize(Decimal("0.00001")) == expected


def test_exact_root_to_full_precision() -> None:
    rate = periodic_irr(flows(100, -110))
    assert abs(rate - Decimal("0.1")) < Decimal("1e-22")
    assert abs(net_present_value(rate, flows(100, -110))) < Decimal("1e-20")


def test_zero_rate_is_exact() -> None:
    assert periodic_irr(flows(300, -100, -100, -100)) == 0


def test_leading_zero_flows_do_not_matter() -> None:
    with_zero = periodic_irr(flows(0, 100, -110))
    assert abs(with_zero - Decimal("0.1")) < Decimal("1e-22")


def test_refunded_deposit_picks_the_positive_root() -> None:
    # + - - + also has a root at -78.05%; the lessee's cost is the positive one, 3.863%.
    rate = periodic_irr(flows(100, -60, -60, 15))
    assert rate.quantize(Decimal("0.00001")) == Decimal("0.03863")


def test_several_sign_changes_still_give_a_root() -> None:
    # Roots at -87.0%, 8.86% and 70.96%: numpy-financial picks 8.86%; any root is correct.
    cash_flows = flows(-5, "10.5", 1, -8, 1)
    rate = periodic_irr(cash_flows)
    assert abs(net_present_value(rate, cash_flows)) < Decimal("1e-18")


@pytest.mark.parametrize("cash_flows", [flows(0, 0, 0), flows(100, 10, 10), []])
def test_no_rate_raises_instead_of_nan(cash_flows: list[Decimal]) -> None:
    with pytest.raises(RateNotFoundError):
        periodic_irr(cash_flows)


def test_annualise() -> None:
    apr, ear = annualise(Decimal("0.005"), 12)
    assert apr == Decimal("0.060")
    assert ear.quantize(Decimal("1e-12")) == Decimal("0.061677811864")
