"""The listing page and its auction page show the same current price, and every time in
Asia/Shanghai (issue #14)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from trading.models import Lot
from trading.tests.factories import LotFactory

pytestmark = pytest.mark.django_db


def _pages(client, lot):
    listing_page = client.get(reverse("marketplace:listing_detail", args=[lot.listing_id]))
    lot_page = client.get(reverse("trading:lot_detail", args=[lot.pk]))
    assert listing_page.status_code == lot_page.status_code == 200
    return listing_page.content.decode(), lot_page.content.decode()


def test_both_pages_show_the_leading_price_never_the_reserve(client):
    lot = LotFactory(opening_bid=Decimal("100000.00"), reserve_price=Decimal("200000.00"))
    Lot.objects.filter(pk=lot.pk).update(
        current_price=Decimal("123456.00"), leader_maximum=Decimal("150000.00"), bid_count=3
    )
    listing_page, lot_page = _pages(client, lot)
    assert '<div class="price" id="listing-lot-price">¥123,456.00</div>' in listing_page
    assert '当前价：<span class="price">¥123,456.00</span>' in listing_page  # trading panel
    assert '当前价：<span class="price" id="lot-price">¥123,456.00</span>' in lot_page
    for page in (listing_page, lot_page):
        assert "¥200,000.00" not in page  # the reserve is never shown as a price
        assert "¥150,000.00" not in page  # nor the leader's secret maximum


def test_before_the_first_bid_both_say_no_bids_and_show_the_opening_bid_as_such(client):
    lot = LotFactory(opening_bid=Decimal("88000.00"))
    listing_page, lot_page = _pages(client, lot)
    assert '<div class="price" id="listing-lot-price">暂无出价</div>' in listing_page
    assert '当前价：<span class="price">暂无出价</span>' in listing_page
    assert '当前价：<span class="price" id="lot-price">暂无出价</span>' in lot_page
    assert "起拍价：¥88,000.00" in listing_page
    assert "起拍价：¥88,000.00" in lot_page


def test_times_are_beijing_time_on_the_pages_and_carry_the_offset_in_json(client):
    ends = dt.datetime(2099, 1, 1, 0, 30, tzinfo=dt.UTC)  # 08:30 in Shanghai
    lot = LotFactory(ends_at=ends, scheduled_ends_at=ends)
    listing_page, lot_page = _pages(client, lot)
    assert "2099-01-01 08:30 （北京时间）" in listing_page
    assert 'data-ends-at="2099-01-01T08:30:00+08:00"' in lot_page
    assert 'data-time-zone="Asia/Shanghai"' in lot_page
    assert ">2099-01-01 08:30:00</strong>" in lot_page
    status = client.get(reverse("trading:lot_status", args=[lot.pk])).json()
    assert status["ends_at"] == "2099-01-01T08:30:00+08:00"
    assert dt.datetime.fromisoformat(status["ends_at"]) == ends


def test_a_fixed_price_listing_keeps_its_asking_price_headline(client):
    from marketplace.tests.factories import PublishedListingFactory

    listing = PublishedListingFactory(asking_price=Decimal("380000.00"))
    page = client.get(reverse("marketplace:listing_detail", args=[listing.pk])).content.decode()
    assert '<div class="price">¥380,000.00</div>' in page
    assert "listing-lot-price" not in page


def test_the_buy_box_says_what_the_vat_is_on(client):
    from marketplace.tests.factories import PublishedListingFactory

    listing = PublishedListingFactory(asking_price=Decimal("380000.00"))
    page = client.get(reverse("marketplace:listing_detail", args=[listing.pk])).content.decode()
    assert (
        "设备价 ¥380,000.00（卖家含税报价）+ 买家佣金 ¥11,400.00 + 佣金增值税 ¥684.00，"
        "合计 ¥392,084.00。"
    ) in page
