"""Listing quotes within the product's limits: eligibility, LTV and residual caps."""

from decimal import Decimal

import pytest

from leasing.quoting import QuoteRequest, listing_quotes
from leasing.tests.factories import LeaseProductFactory
from marketplace.tests.factories import CategoryFactory, MachineFactory, PublishedListingFactory


def only_quote(listing, request=None):
    quotes = listing_quotes(listing, request)
    assert len(quotes) == 1
    return quotes[0]


def test_default_quote_uses_min_down_payment_and_36_months(product, listing, no_valuation):
    item = only_quote(listing)
    assert item.quote_input.down_payment == Decimal(300000)
    assert item.quote_input.term_months == 36
    assert item.result.first_payment == Decimal("21295.36")
    assert item.notes == []


def test_ltv_cap_raises_down_payment_with_a_reason(product, listing, fake_forecast):
    fake_forecast(today="800000", p10_at_end="300000")  # 80% of 800k = 640k max financed
    item = only_quote(listing, QuoteRequest(down_payment=Decimal(300000)))
    assert item.quote_input.down_payment == Decimal("360000.00")
    assert item.result.principal == Decimal("640000.00")
    assert len(item.notes) == 1
    assert item.notes == ["融资额不超过设备今日估值 ¥80 万 的 80%（¥640,000.00），首付已相应提高。"]


def test_ltv_without_valuation_uses_asking_price(listing, category, lessor_org, no_valuation):
    LeaseProductFactory(
        lessor=lessor_org,
        categories=[category],
        min_down_payment_share=Decimal("0.1"),
        max_ltv=Decimal("0.7"),
    )
    item = only_quote(listing, QuoteRequest(down_payment=Decimal(100000)))
    assert item.quote_input.down_payment == Decimal("300000.00")
    assert "挂牌价" in item.notes[0]


def test_below_minimum_down_payment_is_raised(product, listing, no_valuation):
    item = only_quote(listing, QuoteRequest(down_payment=Decimal(100000)))
    assert item.quote_input.down_payment == Decimal(300000)
    assert "30%" in item.notes[0]


def test_balloon_capped_at_p10_of_forecast(product, listing, fake_forecast):
    fake_forecast(today="1000000", p10_at_end="150000")
    item = only_quote(listing, QuoteRequest(balloon=Decimal(400000)))
    assert item.quote_input.balloon == Decimal("150000.00")
    assert item.result.schedule[-1].balloon == Decimal("150000.00")
    assert "P10" in item.notes[0]
    assert "¥150,000.00" in item.notes[0]


def test_balloon_below_p10_is_kept(product, listing, fake_forecast):
    fake_forecast(today="1000000", p10_at_end="150000")
    item = only_quote(listing, QuoteRequest(balloon=Decimal(100000)))
    assert item.quote_input.balloon == Decimal(100000)
    assert item.result.first_payment == Decimal("18753.16")
    assert item.notes == []


def test_balloon_refused_without_forecast(product, listing, no_valuation):
    item = only_quote(listing, QuoteRequest(balloon=Decimal(100000)))
    assert item.quote_input.balloon == Decimal(0)
    assert item.notes[0].startswith("残值预测暂不可用")


def test_balloon_refused_when_product_does_not_allow_it(
    listing, category, lessor_org, fake_forecast
):
    fake_forecast(today="1000000", p10_at_end="150000")
    LeaseProductFactory(lessor=lessor_org, categories=[category], balloon_allowed=False)
    item = only_quote(listing, QuoteRequest(balloon=Decimal(100000)))
    assert item.quote_input.balloon == Decimal(0)
    assert item.notes == ["该产品不支持尾付，已按无尾付报价。"]


def test_unavailable_term_is_replaced_by_nearest_and_says_what_is_offered(
    product, listing, no_valuation
):
    item = only_quote(listing, QuoteRequest(term_months=30))
    assert item.quote_input.term_months == 24
    assert item.notes == [
        "该产品提供 12–60 个月期限（12/24/36/48/60 个月），不提供 30 个月；此处按 24 个月报价。"
    ]


def test_a_single_term_product_names_its_only_term(listing, category, lessor_org, no_valuation):
    LeaseProductFactory(
        lessor=lessor_org, categories=[category], min_term_months=36, max_term_months=36
    )
    item = only_quote(listing, QuoteRequest(term_months=12))
    assert item.quote_input.term_months == 36
    assert item.notes == ["该产品只提供 36 个月期限，不提供 12 个月；此处按 36 个月报价。"]


def test_the_term_note_in_english(product, listing, no_valuation):
    from django.utils import translation

    with translation.override("en"):
        item = only_quote(listing, QuoteRequest(term_months=72))
    assert item.quote_input.term_months == 60
    assert item.notes == [
        "This product offers 12–60 months (12/24/36/48/60), not 72 months; showing 60 months."
    ]


def test_rate_band_by_term_and_grade(listing, category, lessor_org, no_valuation):
    product = LeaseProductFactory(lessor=lessor_org, categories=[category])
    product.rate_bands.create(min_term_months=12, max_term_months=24, annual_rate=Decimal("0.05"))
    product.rate_bands.create(min_term_months=25, max_term_months=60, annual_rate=Decimal("0.07"))
    product.rate_bands.create(
        min_term_months=25, max_term_months=60, condition_grade="A", annual_rate=Decimal("0.065")
    )
    assert only_quote(listing, QuoteRequest(term_months=24)).quote_input.annual_rate == Decimal(
        "0.05"
    )
    assert only_quote(listing, QuoteRequest(term_months=36)).quote_input.annual_rate == Decimal(
        "0.07"
    )
    listing.machine.condition_grade = "A"
    listing.machine.save()
    assert only_quote(listing, QuoteRequest(term_months=36)).quote_input.annual_rate == Decimal(
        "0.065"
    )


@pytest.mark.parametrize(
    ("year", "hours", "eligible"),
    [
        (2021, 3000, True),
        (2010, 3000, False),
        (2021, 20000, False),
        (None, 3000, False),
        (2021, None, False),
    ],
)
def test_age_and_hours_limits(product, dealer_org, year, hours, eligible, no_valuation):
    machine = MachineFactory(owner=dealer_org, year_of_manufacture=year, current_hours=hours)
    listing = PublishedListingFactory(machine=machine, asking_price=Decimal(500000))
    assert len(listing_quotes(listing)) == (1 if eligible else 0)


def test_parent_category_covers_children(lessor_org, dealer_org, no_valuation):
    parent = CategoryFactory(slug="earthmoving", name="土方机械")
    child = CategoryFactory(slug="excavator-20-30t", name="中挖", parent=parent)
    other = CategoryFactory(slug="crane", name="起重机")
    LeaseProductFactory(lessor=lessor_org, categories=[parent])
    in_child = PublishedListingFactory(
        machine=MachineFactory(owner=dealer_org, category=child, year_of_manufacture=2021)
    )
    in_other = PublishedListingFactory(
        machine=MachineFactory(owner=dealer_org, category=other, year_of_manufacture=2021)
    )
    assert len(listing_quotes(in_child)) == 1
    assert listing_quotes(in_other) == []


def test_inactive_products_and_unverified_lessors_are_ignored(product, listing, no_valuation):
    product.is_active = False
    product.save()
    assert listing_quotes(listing) == []
    product.is_active = True
    product.save()
    product.lessor.kyc_status = "pending"
    product.lessor.save()
    assert listing_quotes(listing) == []


def test_quotes_sorted_by_true_rate(listing, category, lessor_org, no_valuation):
    dear = LeaseProductFactory(lessor=lessor_org, categories=[category], fee_fixed=Decimal(20000))
    cheap = LeaseProductFactory(lessor=lessor_org, categories=[category])
    quotes = listing_quotes(listing)
    assert [item.product.pk for item in quotes] == [cheap.pk, dear.pk]
    assert quotes[0].result.apr < quotes[1].result.apr
