"""Recycling's entry point on listing pages (settings.LISTING_PANELS "badges")."""

import pytest
from django.urls import reverse

from marketplace.tests.factories import MachineFactory, PublishedListingFactory
from recycling.panels import listing_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(dealer_org):
    return PublishedListingFactory(machine=MachineFactory(owner=dealer_org))


@pytest.mark.parametrize(
    ("user", "shown"),
    [("dealer", True), ("other_dealer", False), ("buyer", False), ("inspector", False)],
)
def test_only_the_owners_members_get_the_disposal_button(rf, request, listing, user, shown):
    http_request = rf.get("/")
    http_request.user = request.getfixturevalue(user)
    html = listing_panel(http_request, listing)
    url = reverse("recycling:request_create", args=[listing.machine_id])
    assert (f'href="{url}"' in html) is shown
    assert ("申请报废处置" in html) is shown


def test_no_button_for_visitors_or_a_scrapped_machine(rf, listing, dealer):
    from django.contrib.auth.models import AnonymousUser

    http_request = rf.get("/")
    http_request.user = AnonymousUser()
    assert listing_panel(http_request, listing) == ""
    listing.machine.is_scrapped = True
    http_request.user = dealer
    assert listing_panel(http_request, listing) == ""


def test_the_listing_page_shows_the_button_to_the_owner(client, listing, dealer):
    client.force_login(dealer)
    html = client.get(f"/listings/{listing.pk}/").content.decode()
    url = reverse("recycling:request_create", args=[listing.machine_id])
    assert f'href="{url}"' in html
