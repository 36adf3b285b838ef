"""Public pages fit a phone's width (390 px): no horizontal scrolling, even when a machine's
details hold long unbreakable values (seen on the demo: the listing page's spec table widened
the grid column to 444 px)."""

import pytest

from marketplace.tests.factories import MachineFactory, PublishedListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_listing_search_and_home_fit_a_phone(new_page, live_server, dealer_org):
    machine = MachineFactory(owner=dealer_org, serial_number="LXG" + "7" * 45)
    listing = PublishedListingFactory(machine=machine, title="三一 SY75C 挖掘机 7.3 吨 2020年")
    page = new_page()
    page.set_viewport_size(PHONE)
    for path in [f"/listings/{listing.pk}/", "/listings/", "/"]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page_width(page) == PHONE["width"], path
    page.goto(f"{live_server.url}/listings/{listing.pk}/")
    assert page.get_by_text("LXG" + "7" * 45).is_visible()
