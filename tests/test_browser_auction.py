"""A full timed auction in two real browsers: live updates, outbid, soft-close extension."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from trading.models import Lot
from trading.tests.conftest import make_bidder
from trading.tests.factories import AuctionListingFactory, LotFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def bid(page, amount: str) -> None:
    page.fill("#id_maximum", amount)
    page.click("#bid-form button[type=submit]")
    page.wait_for_load_state()


def test_two_bidders_live_auction(live_server, new_page, dealer_org):
    from playwright.sync_api import expect

    from tests.conftest import login

    lot = LotFactory(
        listing=AuctionListingFactory(machine__owner=dealer_org),
        opening_bid=Decimal("100000"),
        ends_at=timezone.now() + dt.timedelta(minutes=30),
    )
    make_bidder(lot, "alice")
    make_bidder(lot, "bob")
    url = f"{live_server.url}/trading/lots/{lot.pk}/"
    page_a, page_b = new_page(), new_page()
    login(page_a, live_server, "alice")
    login(page_b, live_server, "bob")
    page_a.goto(url)
    page_b.goto(url)
    expect(page_b.locator("#lot-price")).to_have_text("暂无出价")
    page_b.evaluate("window.__noReload = true")

    # A bids: B sees the price without reloading.
    bid(page_a, "150000")
    expect(page_a.locator(".message.success")).to_contain_text("您目前领先")
    expect(page_b.locator("#lot-price")).to_have_text("¥100,000.00", timeout=5000)
    expect(page_b.locator("#lot-bid-count")).to_have_text("1")

    # B outbids: A's page updates without reloading, and A is told by e-mail.
    page_a.evaluate("window.__noReload = true")
    bid(page_b, "200000")
    expect(page_a.locator("#lot-price")).to_have_text("¥151,000.00", timeout=5000)
    expect(page_a.locator("#lot-you")).to_have_text("您已被超过")
    assert page_a.evaluate("window.__noReload") is True
    outbid = [m for m in mail.outbox if m.to == ["alice@example.com"]]
    assert len(outbid) == 1
    assert "您的出价已被超过" in outbid[0].subject

    # The lot enters its soft-close window; A's bid extends it, and B sees the new end.
    Lot.objects.filter(pk=lot.pk).update(ends_at=timezone.now() + dt.timedelta(minutes=2))
    page_b.reload()
    page_b.evaluate("window.__noReload = true")
    expect(page_b.locator("#lot-extended")).to_be_hidden()
    old_end = page_b.locator("#lot-ends").inner_text()
    page_a.reload()
    bid(page_a, "300000")
    expect(page_b.locator("#lot-extended")).to_be_visible(timeout=5000)
    expect(page_b.locator("#lot-extension-count")).to_have_text("1")
    expect(page_b.locator("#lot-ends")).not_to_have_text(old_end)
    expect(page_b.locator("#lot-price")).to_have_text("¥201,000.00")
    expect(page_b.locator("#lot-you")).to_have_text("您已被超过")
    assert page_b.evaluate("window.__noReload") is True
    lot.refresh_from_db()
    assert lot.extension_count == 1
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", page_b.locator("#lot-ends").inner_text())
    assert (
        page_b.locator("#lot-soft-close").inner_text().startswith("延时规则：结束前 5 分钟内出价")
    )
