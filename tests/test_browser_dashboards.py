"""The buyer's and the dealer's dashboards in a real browser, on a laptop and on a phone:
the role menu is there, nothing overflows sideways, and on a phone the menu folds away."""

import os
from decimal import Decimal

import pytest

from marketplace.models import SaleFormat
from marketplace.tests.factories import PublishedListingFactory
from tests.browser import VIEWPORTS, signed_in_page
from trading.services.offers import offer_make
from trading.services.watchlist import watchlist_add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("DASHBOARD_SCREENSHOTS_DIR", "")


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def trade(dealer_org, buyer):
    listings = [
        PublishedListingFactory(
            machine__owner=dealer_org, sale_format=SaleFormat.OFFER, asking_price=Decimal("380000")
        )
        for _ in range(2)
    ]
    offer_make(listing=listings[0], buyer=buyer.organization, actor=buyer, amount=Decimal("330000"))
    watchlist_add(user=buyer, listing=listings[1])


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("role", ["buyer", "dealer"])
def test_dashboard_fits_and_shows_role_menu(
    live_server, new_page, trade, buyer, dealer, role, viewport
):
    user = {"buyer": buyer, "dealer": dealer}[role]
    page = signed_in_page(new_page, live_server, user)
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator("h1").inner_text() == "工作台"
    assert no_horizontal_overflow(page)
    sections = page.locator("[data-section]")
    expected_first = {"buyer": "marketplace.search", "dealer": "marketplace.listings"}[role]
    assert sections.first.get_attribute("data-section") == expected_first
    watchlist = page.locator('[data-section="trading.buying"] [data-item="watchlist"] [data-count]')
    assert watchlist.inner_text() == {"buyer": "1", "dealer": "0"}[role]
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"dashboard-{role}-{viewport}.png"))

    group = {"buyer": "buying", "dealer": "selling"}[role]
    toggle = page.locator("label.nav-toggle-label")
    if viewport == "phone":
        assert toggle.is_visible()
        assert not page.locator("#main-nav").is_visible()
        toggle.click()
        assert page.locator("#main-nav").is_visible()
    else:
        assert not toggle.is_visible()
    page.locator(f'[data-menu-group="{group}"] summary').click()
    first_entry = page.locator(f'[data-menu-group="{group}"] [data-menu]').first
    assert first_entry.is_visible()
    assert first_entry.get_attribute("data-menu") == {"buyer": "orders", "dealer": "listings"}[role]
    assert no_horizontal_overflow(page)
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"menu-{role}-{viewport}.png"))
    if role == "buyer":
        assert page.get_by_text("我的挂牌").count() == 0
        page.locator('[data-menu="bids"]').click()
        page.wait_for_url("**/trading/bids/")
        assert page.locator("h1").inner_text() == "我的竞拍"
        assert no_horizontal_overflow(page)
