"""Validation: every problem reported at once, keyed by field, with its exact message."""

from decimal import Decimal

import pytest

from leasing.engine import NON_FIELD_ERRORS, QuoteInput, QuoteValidationError, quote
from leasing.engine import messages as m
from leasing.engine.validation import validate_quote_input

VALID: dict[str, object] = {
    "price": Decimal("1000000"),
    "down_payment": Decimal("300000"),
    "term_months": 36,
    "annual_rate": Decimal("0.06"),
    "method": "annuity",
    "timing": "arrears",
    "lease_type": "direct",
}


def errors_for(**overrides: object) -> dict[str, list[str]]:
    """The errors ``quote`` raises for the valid example with ``overrides``."""
    with pytest.raises(QuoteValidationError) as excinfo:
        quote(QuoteInput(**{**VALID, **overrides}))  # type: ignore[arg-type]
    return excinfo.value.errors


def test_the_valid_example_passes() -> None:
    validate_quote_input(QuoteInput(**VALID))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"price": Decimal("-1")}, "price", m.NEGATIVE),
        ({"price": Decimal("0")}, "price", m.PRICE_NOT_POSITIVE),
        ({"price": 1000000.0}, "price", m.NOT_A_NUMBER),
        ({"price": Decimal("NaN")}, "price", m.NOT_A_NUMBER),
        ({"price": "1000000"}, "price", m.NOT_A_NUMBER),
        ({"price": Decimal("1000000.001")}, "price", m.TOO_MANY_DECIMALS),
        ({"price": Decimal("1e12")}, "price", m.AMOUNT_TOO_LARGE),
        ({"down_payment": Decimal("-0.01")}, "down_payment", m.NEGATIVE),
        ({"down_payment": Decimal("1000000")}, "down_payment", m.DOWN_PAYMENT_TOO_HIGH),
        ({"deposit": Decimal("-1")}, "deposit", m.NEGATIVE),
        ({"fee": Decimal("-1")}, "fee", m.NEGATIVE),
        ({"buyout_price": Decimal("-1")}, "buyout_price", m.NEGATIVE),
        ({"balloon": Decimal("-1")}, "balloon", m.NEGATIVE),
        ({"term_months": 0}, "term_months", m.TERM_TOO_SHORT),
        ({"term_months": 121}, "term_months", "The term must be at most 120 months."),
        ({"term_months": Decimal("36")}, "term_months", m.TERM_NOT_INTEGER),
        ({"term_months": 36.0}, "term_months", m.TERM_NOT_INTEGER),
        ({"term_months": True}, "term_months", m.TERM_NOT_INTEGER),
        ({"term_months": 13, "periods_per_year": 4}, "term_months", m.TERM_NOT_WHOLE_PERIODS),
        ({"term_months": 1, "timing": "advance"}, "term_months", m.ADVANCE_TERM_TOO_SHORT),
        (
            {"periods_per_year": 5},
            "periods_per_year",
            "Payments per year must be one of 1, 2, 3, 4, 6, 12.",
        ),
        ({"annual_rate": Decimal("-0.01")}, "annual_rate", m.RATE_NEGATIVE),
        (
            {"annual_rate": Decimal("1.0001")},
            "annual_rate",
            "The interest rate must be at most 100%.",
        ),
        ({"annual_rate": 0.06}, "annual_rate", m.NOT_A_NUMBER),
        ({"method": "balloon"}, "method", "“balloon” is not one of the available choices."),
        ({"timing": "monthly"}, "timing", "“monthly” is not one of the available choices."),
        (
            {"lease_type": "operating"},
            "lease_type",
            "“operating” is not one of the available choices.",
        ),
        (
            {"deposit_treatment": "kept"},
            "deposit_treatment",
            "“kept” is not one of the available choices.",
        ),
        ({"balloon": Decimal("700000")}, "balloon", m.BALLOON_TOO_HIGH),
        (
            {"balloon": Decimal("100000"), "method": "equal_principal"},
            "balloon",
            m.BALLOON_NEEDS_ANNUITY,
        ),
        ({"balloon": Decimal("100000"), "method": "flat"}, "balloon", m.BALLOON_NEEDS_ANNUITY),
        ({"deposit": Decimal("700000")}, "deposit", m.DEPOSIT_TOO_HIGH),
        ({"fee": Decimal("700000")}, "fee", m.FEE_TOO_HIGH),
        (
            {"deposit": Decimal("400000"), "fee": Decimal("300000")},
            NON_FIELD_ERRORS,
            m.DEPOSIT_AND_FEE_TOO_HIGH,
        ),
        (  # passes field checks, but the lessee would receive nothing at signing
            {"timing": "advance", "term_months": 2, "deposit": Decimal("360000")},
            NON_FIELD_ERRORS,
            m.UPFRONT_EXCEEDS_FINANCING,
        ),
        (  # 0.72 CNY over 120 rents: 119 rents of 0.01 overshoot, the last would be negative
            {
                "price": Decimal("10000"),
                "down_payment": Decimal("0"),
                "annual_rate": Decimal("0"),
                "term_months": 120,
                "balloon": Decimal("9999.28"),
            },
            NON_FIELD_ERRORS,
            m.AMOUNT_TOO_SMALL,
        ),
    ],
)
def test_each_error_alone(overrides: dict[str, object], field: str, message: str) -> None:
    assert errors_for(**overrides) == {field: [message]}


def test_all_errors_are_reported_at_once() -> None:
    errors = errors_for(
        price=Decimal("-1.005"),
        term_months=0,
        annual_rate=Decimal("2"),
        method="lease",
        fee=Decimal("-5"),
    )
    assert errors == {
        "price": [m.NEGATIVE, m.TOO_MANY_DECIMALS],
        "fee": [m.NEGATIVE],
        "term_months": [m.TERM_TOO_SHORT],
        "annual_rate": [m.RATE_TOO_HIGH.replace("%%", "%")],
        "method": ["“lease” is not one of the available choices."],
    }


def test_a_bad_field_does_not_cascade_into_cross_field_errors() -> None:
    # The price is unusable, so the down payment, balloon and deposit are not compared.
    errors = errors_for(price=Decimal("-1"), balloon=Decimal("2000000"), deposit=Decimal("2000000"))
    assert errors == {"price": [m.NEGATIVE]}


def test_messages_are_translated_before_interpolation() -> None:
    catalogue = {m.TERM_TOO_LONG: "租期最长%(limit)s个月。", m.NEGATIVE: "金额不能为负。"}
    with pytest.raises(QuoteValidationError) as excinfo:
        quote(
            QuoteInput(**{**VALID, "term_months": 240, "fee": Decimal("-1")}),  # type: ignore[arg-type]
            translate=lambda message: catalogue.get(message, message),
        )
    assert excinfo.value.errors == {"term_months": ["租期最长120个月。"], "fee": ["金额不能为负。"]}


def test_error_is_a_value_error_carrying_the_dict() -> None:
    with pytest.raises(ValueError, match="price"):
        quote(QuoteInput(**{**VALID, "price": Decimal("-1")}))  # type: ignore[arg-type]
