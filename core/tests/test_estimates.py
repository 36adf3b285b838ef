"""Valuations are shown rounded to what they can claim (core.estimates)."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core.estimates import format_estimate, format_estimate_range


@pytest.mark.parametrize(
    ("amount", "chinese", "english"),
    [
        ("5167847.37", "¥517 万", "¥5,168,000"),
        ("516784.00", "¥51.7 万", "¥517,000"),
        ("85432.10", "¥8.5 万", "¥85,000"),
        ("100000.00", "¥10 万", "¥100,000"),
        ("12345678.00", "¥1,235 万", "¥12,346,000"),
        ("999950.00", "¥100 万", "¥1,000,000"),
        ("9999.99", "¥1 万", "¥10,000"),
        ("8549.00", "¥8,500", "¥8,500"),
        ("8550.00", "¥8,600", "¥8,600"),
        ("0", "¥0", "¥0"),
    ],
)
def test_estimates_round_to_a_readable_precision(amount, chinese, english):
    assert format_estimate(Decimal(amount), "zh-hans") == chinese
    assert format_estimate(Decimal(amount), "en") == english


def test_a_missing_estimate_is_a_dash_and_a_range_rounds_both_ends():
    assert format_estimate(None) == "—"
    low, high = Decimal("4601234.00"), Decimal("5798765.00")
    assert format_estimate_range(low, high, "zh-hans") == "¥460 万 – ¥580 万"
    assert format_estimate_range(low, high, "en") == "¥4,601,000 – ¥5,799,000"


def test_the_filter_follows_the_active_language():
    template = Template("{% load estimate_tags %}{{ value|estimate }}")
    context = Context({"value": Decimal("5167847.37")})
    with translation.override("zh-hans"):
        assert template.render(context) == "¥517 万"
    with translation.override("en"):
        assert template.render(context) == "¥5,168,000"
