"""The quote engine against DOMAIN.md's worked example and its documented conventions."""

import json
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest

from leasing.engine import QuoteInput, QuoteResult, quote

PRICE = Decimal("1000000")
DOWN_PAYMENT = Decimal("300000")  # 30% down, so P = 700,000


def example(**overrides: object) -> QuoteResult:
    """DOMAIN.md's example lease (36 monthly rents in arrears at 6%) with changes."""
    terms: dict[str, object] = {
        "price": PRICE,
        "down_payment": DOWN_PAYMENT,
        "term_months": 36,
        "annual_rate": Decimal("0.06"),
        "method": "annuity",
        "timing": "arrears",
        "lease_type": "direct",
    }
    terms.update(overrides)
    return quote(QuoteInput(**terms))  # type: ignore[arg-type]


class TestWorkedExample:
    """Every figure of the worked example, to the fen or to the hundredth of a percent."""

    def test_annuity_in_arrears(self) -> None:
        result = example()
        assert result.principal == Decimal("700000")
        assert result.payments[:35] == (Decimal("21295.36"),) * 35
        assert result.apr == Decimal("0.0600")

    def test_annuity_in_advance(self) -> None:
        result = example(timing="advance")
        assert result.payments[:35] == (Decimal("21189.41"),) * 35

    def test_annuity_with_balloon(self) -> None:
        result = example(balloon=Decimal("100000"))
        assert result.payments[:35] == (Decimal("18753.16"),) * 35
        assert result.schedule[-1].balloon == Decimal("100000")

    def test_equal_principal_first_and_last_rent(self) -> None:
        result = example(method="equal_principal")
        assert result.first_payment == Decimal("22944.44")
        assert result.last_payment == Decimal("19541.67")

    def test_fee_and_buyout_raise_the_apr(self) -> None:
        result = example(fee=Decimal("7000"), buyout_price=Decimal("100"))
        assert result.apr == Decimal("0.0668")

    def test_deposit_fee_and_buyout(self) -> None:
        result = example(deposit=Decimal("50000"), fee=Decimal("7000"), buyout_price=Decimal("100"))
        assert result.apr == Decimal("0.0769")
        assert result.ear == Decimal("0.0797")

    def test_flat_rate_rent_and_true_rate(self) -> None:
        result = example(method="flat", annual_rate=Decimal("0.035"))
        assert result.payments[:35] == (Decimal("21486.11"),) * 35
        assert result.nominal_rate == Decimal("0.035")
        assert result.apr == Decimal("0.0660")


class TestSchedule:
    def test_last_rent_absorbs_rounding(self) -> None:
        result = example()
        last = result.schedule[-1]
        assert (last.rent, last.principal, last.interest) == (
            Decimal("21295.21"),
            Decimal("21189.26"),
            Decimal("105.95"),
        )
        assert sum(row.principal for row in result.schedule) == Decimal("700000")
        assert last.balance == 0

    def test_balance_runs_down_by_each_principal_part(self) -> None:
        result = example(balloon=Decimal("100000"))
        previous = result.principal
        for row in result.schedule:
            assert row.rent == row.principal + row.interest
            assert row.balance == previous - row.principal
            previous = row.balance
        assert previous == Decimal("100000")
        assert [row.balloon for row in result.schedule[:-1]] == [0] * 35

    def test_first_rent_in_advance_carries_no_interest(self) -> None:
        first = example(timing="advance").schedule[0]
        assert (first.interest, first.principal) == (0, Decimal("21189.41"))

    def test_equal_principal_in_advance(self) -> None:
        result = example(method="equal_principal", timing="advance")
        assert result.payments[0] == Decimal("19444.44")  # P/n, nothing accrued yet
        assert result.payments[1] == Decimal("22847.22")  # 19,444.44 + 680,555.56 x 0.5%
        assert result.apr == Decimal("0.0600")

    def test_flat_schedule_is_split_at_the_true_rate(self) -> None:
        result = example(method="flat", annual_rate=Decimal("0.035"))
        assert result.total_interest == Decimal("73500.00")  # 700,000 x 3.5% x 3 years
        assert result.last_payment == Decimal("21486.15")  # the contract total is kept
        first = result.schedule[0]
        assert first.interest == (Decimal("700000") * result.periodic_rate).quantize(
            Decimal("0.01")
        )
        assert result.schedule[-1].balance == 0

    def test_zero_rate(self) -> None:
        result = example(annual_rate=Decimal("0"), balloon=Decimal("100000"))
        assert result.payments[0] == Decimal("16666.67")  # (700,000 - 100,000) / 36
        assert result.last_payment == Decimal("16666.55")
        assert result.total_interest == 0
        assert result.periodic_rate == 0
        assert result.apr == 0

    def test_quarterly_rents(self) -> None:
        result = example(periods_per_year=4)
        assert len(result.payments) == 12
        assert result.payments[0] == Decimal("64176.00")  # npf.pmt(0.015, 12, -700000)
        assert result.apr == Decimal("0.0600")


class TestCashFlows:
    """The conventions behind the APR: who pays what, and when."""

    def test_arrears_deposit_returned_with_the_last_rent(self) -> None:
        result = example(deposit=Decimal("50000"), fee=Decimal("7000"), buyout_price=Decimal("100"))
        flows = result.cash_flows
        assert len(flows) == 37
        assert flows[0] == Decimal("643000")  # 700,000 - 50,000 - 7,000
        assert flows[1] == Decimal("-21295.36")
        assert flows[36] == Decimal("-21295.21") + Decimal("50000") - Decimal("100")

    def test_advance_first_rent_at_signing_settlement_at_term_end(self) -> None:
        result = example(
            timing="advance",
            deposit=Decimal("50000"),
            balloon=Decimal("100000"),
            buyout_price=Decimal("100"),
        )
        rent, last_rent = result.payments[0], result.last_payment
        flows = result.cash_flows
        assert flows[0] == Decimal("650000") - rent
        assert flows[35] == -last_rent - Decimal("100000")  # balloon with the last rent
        assert flows[36] == Decimal("49900")  # deposit back, buy-out paid

    def test_deposit_offset_against_the_latest_amounts_due(self) -> None:
        result = example(
            deposit=Decimal("50000"),
            fee=Decimal("7000"),
            buyout_price=Decimal("100"),
            deposit_treatment="offset",
        )
        # 50,000 covers t=36 (21,295.21 + 100) and t=35 (21,295.36), then 7,309.43 of t=34.
        assert result.cash_flows[33:] == (
            Decimal("-21295.36"),
            Decimal("-13985.93"),
            Decimal("0"),
            Decimal("0"),
        )
        assert result.apr == Decimal("0.0767")  # dearer than a refund at t=36 is cheaper


class TestTotals:
    def test_totals_with_fee_deposit_and_buyout(self) -> None:
        result = example(deposit=Decimal("50000"), fee=Decimal("7000"), buyout_price=Decimal("100"))
        assert result.total_interest == Decimal("66632.81")
        assert result.total_payments == Decimal("766732.81")  # rents 766,632.81 + buy-out
        assert result.total_cost == Decimal("73732.81")  # interest + fee + buy-out

    def test_balloon_counts_in_total_payments(self) -> None:
        result = example(balloon=Decimal("100000"))
        rents = sum(result.payments)
        assert result.total_payments == rents + Decimal("100000")
        assert result.total_interest == rents + Decimal("100000") - Decimal("700000")


class TestVat:
    def test_direct_lease_vat_is_inside_every_rent(self) -> None:
        result = example()
        # 35 x round(21,295.36 x 13/113) + round(21,295.21 x 13/113)
        assert result.vat == 35 * Decimal("2449.91") + Decimal("2449.89")
        assert (result.vat_rate, result.vat_deductible) == (Decimal("0.13"), True)

    def test_direct_lease_vat_includes_the_balloon(self) -> None:
        result = example(balloon=Decimal("100000"))
        assert result.last_payment == Decimal("18753.26")
        # 35 x round(18,753.16 x 13/113) + round((18,753.26 + 100,000) x 13/113)
        assert result.vat == 35 * Decimal("2157.44") + Decimal("13661.88")

    def test_sale_leaseback_vat_is_on_interest_only(self) -> None:
        result = example(lease_type="sale_leaseback")
        per_rent = sum(
            (row.interest * 6 / 106).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            for row in result.schedule
        )
        assert result.vat == per_rent == Decimal("3771.69")
        assert abs(result.vat - result.total_interest * 6 / 106) <= Decimal("0.005") * 36
        assert (result.vat_rate, result.vat_deductible) == (Decimal("0.06"), False)


class TestToDict:
    def test_shape_and_strings(self) -> None:
        data = example(
            method="flat",
            annual_rate=Decimal("0.035"),
            fee=Decimal("7000"),
            lease_type="sale_leaseback",
        ).to_dict()
        assert json.loads(json.dumps(data)) == data
        assert list(data) == [
            "principal",
            "payments",
            "total_payments",
            "total_interest",
            "total_cost",
            "apr",
            "ear",
            "nominal_rate",
            "vat",
            "vat_rate",
            "vat_deductible",
            "schedule",
        ]
        assert data["principal"] == "700000.00"
        assert data["nominal_rate"] == "0.0350"
        assert data["vat_rate"] == "0.0600"
        assert data["vat_deductible"] is False
        assert data["total_cost"] == "80500.00"

    def test_schedule_rows(self) -> None:
        rows = example(timing="advance", balloon=Decimal("100000")).to_dict()["schedule"]
        assert isinstance(rows, list)
        assert rows[0] == {
            "period": 1,
            "rent": "18647.22",  # npf.pmt(0.005, 36, -700000, 100000 x 1.005, when="begin")
            "principal": "18647.22",
            "interest": "0.00",
            "balance": "681352.78",
            "balloon": "0.00",
        }
        assert rows[-1]["balance"] == rows[-1]["balloon"] == "100000.00"


def test_callers_decimal_context_does_not_leak_in() -> None:
    with localcontext() as context:
        context.prec = 6
        result = example(deposit=Decimal("50000"), fee=Decimal("7000"))
    assert result.payments[0] == Decimal("21295.36")
    assert result.apr == Decimal("0.0769")


@pytest.mark.parametrize(
    ("method", "timing", "nominal_apr"),
    [
        ("annuity", "arrears", Decimal("0.0600")),
        ("annuity", "advance", Decimal("0.0600")),
        ("equal_principal", "arrears", Decimal("0.0600")),
        ("equal_principal", "advance", Decimal("0.0600")),
        ("flat", "arrears", Decimal("0.1108")),  # 6% flat costs 11.08% (npf.irr)
        ("flat", "advance", Decimal("0.1176")),
    ],
)
def test_every_method_and_timing_discloses_a_rate(
    method: str, timing: str, nominal_apr: Decimal
) -> None:
    plain = example(method=method, timing=timing)
    assert plain.apr == nominal_apr
    assert sum(row.principal for row in plain.schedule) == Decimal("700000")
    with_fee = example(method=method, timing=timing, fee=Decimal("7000"))
    assert with_fee.apr > plain.apr


def test_flat_rate_in_advance_is_dearer_still() -> None:
    result = example(method="flat", annual_rate=Decimal("0.035"), timing="advance")
    assert result.payments[0] == Decimal("21486.11")  # same rents, each paid a month earlier
    assert result.apr == Decimal("0.0699")  # 12 x npf.irr of the flows
