"""Listing cards and the listing page: indicative rent and the lease calculator."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leasing.panels import card_extras, listing_panel
from leasing.tests.factories import LeaseProductFactory
from marketplace.tests.factories import MachineFactory, PublishedListingFactory


def make_listings(count, owner, price=Decimal(1000000)):
    return [
        PublishedListingFactory(
            machine=MachineFactory(owner=owner, year_of_manufacture=2021), asking_price=price
        )
        for _ in range(count)
    ]


@pytest.fixture
def request_(rf: RequestFactory):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    return request


def test_card_shows_cheapest_monthly_payment(product, lessor_org, category, dealer_org, request_):
    LeaseProductFactory(
        lessor=lessor_org, categories=[category], default_annual_rate=Decimal("0.09")
    )
    [listing] = make_listings(1, dealer_org)
    extras = card_extras(request_, [listing])
    # 30% down, 36 months at 6% (the cheaper product): 21,295.36 → "约 ¥21,295/月"
    assert "约 ¥21,295/月" in extras[listing.pk]
    assert "湘江融资租赁" in extras[listing.pk]


def test_card_empty_when_no_product_matches(product, dealer_org, request_):
    old = PublishedListingFactory(
        machine=MachineFactory(owner=dealer_org, year_of_manufacture=2005)
    )
    auction = PublishedListingFactory(
        machine=MachineFactory(owner=dealer_org, year_of_manufacture=2021),
        sale_format="auction",
        asking_price=None,
    )
    assert card_extras(request_, [old, auction]) == {}


def test_card_extras_query_count_is_constant(product, lessor_org, category, dealer_org, request_):
    LeaseProductFactory(lessor=lessor_org, categories=[category])
    LeaseProductFactory(lessor=lessor_org, categories=[category]).rate_bands.create(
        min_term_months=12, max_term_months=60, annual_rate=Decimal("0.055")
    )
    few = make_listings(5, dealer_org)
    many = make_listings(20, dealer_org)
    with CaptureQueriesContext(connection) as five:
        extras_five = card_extras(request_, few)
    with CaptureQueriesContext(connection) as twenty:
        extras_twenty = card_extras(request_, many)
    assert len(extras_five) == 5
    assert len(extras_twenty) == 20
    assert len(five.captured_queries) == len(twenty.captured_queries)
    assert len(twenty.captured_queries) <= 6


def test_listing_panel_shows_quotes_with_apr_first(product, listing, request_, no_valuation):
    html = listing_panel(request_, listing)
    assert 'id="lease-calculator"' in html
    assert f'data-api="/api/leasing/listings/{listing.pk}/quotes/"' in html
    assert "湘江直租36" in html
    # APR (with the CNY 100 buy-out) before, and bigger than, the 6.00% nominal rate.
    assert html.index("6.01%") < html.index("6.00%")
    assert html.index("lease-apr") < html.index("lease-nominal")
    assert "¥21,295.36" in html
    assert "calculator.js" in html


def test_listing_panel_explains_a_cap(product, listing, request_, fake_forecast):
    fake_forecast(today="800000", p10_at_end="200000")
    html = listing_panel(request_, listing)
    # The valuation as the valuation panel rounds it; the cap exact.
    note = "融资额不超过设备今日估值 ¥80 万 的 80%（¥640,000.00），首付已相应提高。"
    assert f'<p class="lease-note">{note}</p>' in html


def test_listing_page_renders_panel(client, product, listing, no_valuation):
    response = client.get(reverse("marketplace:listing_detail", args=[listing.pk]))
    assert response.status_code == 200
    assert "lease-calculator" in response.content.decode()


def test_listing_list_page_shows_monthly_badge(client, product, listing):
    from search.sync import rebuild_index

    rebuild_index()  # the browse page lists what the search index holds
    response = client.get(reverse("search:search"))
    assert response.status_code == 200
    assert "融资租赁 约 ¥21,295/月" in response.content.decode()


def test_card_rent_equals_the_page_quote_under_default_terms(
    lessor_org, category, dealer_org, no_valuation
):
    from leasing.quoting import indicative_payments, listing_quotes

    product = LeaseProductFactory(
        lessor=lessor_org,
        categories=[category],
        min_down_payment_share=Decimal("0.15"),
        max_ltv=Decimal("0.8"),
        deposit_share=Decimal("0.05"),
        fee_share=Decimal("0.01"),
        allowed_terms=[24, 48],
    )
    product.rate_bands.create(min_term_months=13, max_term_months=30, annual_rate=Decimal("0.071"))
    [listing] = make_listings(1, dealer_org, price=Decimal("438500.00"))
    [page_quote] = listing_quotes(listing)
    card = indicative_payments([listing])[listing.pk]
    assert page_quote.quote_input.term_months == 24  # nearest to 36; ties go shorter
    assert page_quote.quote_input.annual_rate == Decimal("0.071")
    assert page_quote.quote_input.down_payment == Decimal("87700.00")  # 20% by the LTV cap
    assert card.monthly == page_quote.result.first_payment


def test_vat_is_its_own_line_saying_what_it_is(product, listing, request_, no_valuation):
    html = listing_panel(request_, listing)
    # Direct lease: 13% on every rent (and the CNY 100 buy-out is no rent): contained VAT.
    assert (
        '<p class="lease-vat"><span class="lease-vat-label">'
        "增值税（直租：有形动产融资租赁服务，13%，按全部租金计，含在租金中）</span>"
    ) in html
    assert "承租人可凭增值税专用发票抵扣进项税" in html
    assert "其中增值税" not in html  # no longer a row under the total cost


def test_sale_leaseback_vat_is_on_interest_and_not_deductible(request_):
    from leasing.templatetags.leasing_tags import vat_label

    assert vat_label("sale_leaseback", Decimal("0.0600")) == (
        "增值税（售后回租：贷款服务，6%，仅按利息部分计，含在租金中）"
    )
    assert vat_label("direct", "0.1300") == (
        "增值税（直租：有形动产融资租赁服务，13%，按全部租金计，含在租金中）"
    )


def test_calculator_labels_carry_both_vat_texts(product, listing, request_, no_valuation):
    html = listing_panel(request_, listing)
    assert '"sale_leaseback": "\\u589e\\u503c\\u7a0e' in html  # json_script escapes
    assert '"vat_deductible"' in html
