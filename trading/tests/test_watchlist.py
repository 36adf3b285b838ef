"""The buyer's watchlist: watch / unwatch from the listing page, the watchlist page."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from accounts.tests.factories import UserFactory
from core.errors import DomainError
from marketplace.models import ListingStatus
from marketplace.tests.factories import ListingFactory, PublishedListingFactory
from trading.models import WatchedListing
from trading.services.watchlist import watchlist_add, watchlist_remove

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(dealer_org):
    return PublishedListingFactory(machine__owner=dealer_org)


def test_watch_is_idempotent_and_per_user(listing, buyer, dealer):
    first = watchlist_add(user=buyer, listing=listing)
    assert watchlist_add(user=buyer, listing=listing) == first
    watchlist_add(user=dealer, listing=listing)
    assert WatchedListing.objects.filter(listing=listing).count() == 2
    assert watchlist_remove(user=buyer, listing=listing) is True
    assert watchlist_remove(user=buyer, listing=listing) is False
    assert list(WatchedListing.objects.values_list("user_id", flat=True)) == [dealer.pk]


def test_unique_constraint_fires(listing, buyer):
    WatchedListing.objects.create(user=buyer, listing=listing)
    with pytest.raises(IntegrityError):
        WatchedListing.objects.create(user=buyer, listing=listing)


@pytest.mark.parametrize("status", [ListingStatus.DRAFT, ListingStatus.SUBMITTED])
def test_listing_not_on_sale_cannot_be_watched(dealer_org, buyer, status):
    hidden = ListingFactory(machine__owner=dealer_org, status=status)
    with pytest.raises(DomainError) as info:
        watchlist_add(user=buyer, listing=hidden)
    assert info.value.code == "listing_not_watchable"
    assert WatchedListing.objects.count() == 0


def test_listing_page_button_watches_and_unwatches(client, listing, buyer):
    client.force_login(buyer)
    detail = reverse("marketplace:listing_detail", args=[listing.pk])
    add = reverse("trading:watch_toggle", args=[listing.pk, "add"])
    remove = reverse("trading:watch_toggle", args=[listing.pk, "remove"])
    assert f'action="{add}"' in client.get(detail).content.decode()
    response = client.post(add, {"next": detail})
    assert response.status_code == 302
    assert response["Location"] == detail
    assert WatchedListing.objects.filter(user=buyer, listing=listing).count() == 1
    page = client.get(detail).content.decode()
    assert f'action="{remove}"' in page
    assert f'action="{add}"' not in page
    watchlist_page = client.get(reverse("trading:watchlist")).content.decode()
    assert f'data-listing-id="{listing.pk}"' in watchlist_page
    client.post(remove, {"next": reverse("trading:watchlist")})
    assert WatchedListing.objects.count() == 0
    assert (
        f'data-listing-id="{listing.pk}"'
        not in client.get(reverse("trading:watchlist")).content.decode()
    )


def test_watch_refusals_change_nothing(client, dealer_org, listing, buyer):
    hidden = ListingFactory(machine__owner=dealer_org, status=ListingStatus.DRAFT)
    add = reverse("trading:watch_toggle", args=[hidden.pk, "add"])
    assert client.post(add).status_code == 302  # anonymous: to the login page
    assert client.post(add)["Location"].startswith(reverse("accounts:login"))
    client.force_login(buyer)
    assert client.get(reverse("trading:watch_toggle", args=[listing.pk, "add"])).status_code == 405
    bogus = reverse("trading:watch_toggle", args=[listing.pk, "bogus"])
    assert client.post(bogus).status_code == 404
    assert client.post(reverse("trading:watch_toggle", args=[999999, "add"])).status_code == 404
    response = client.post(add, follow=True)
    assert "只能关注在售的设备。" in response.content.decode()
    # A foreign "next" is ignored: back to the listing page.
    offsite = client.post(
        reverse("trading:watch_toggle", args=[listing.pk, "add"]), {"next": "https://evil.test/"}
    )
    assert offsite["Location"] == reverse("marketplace:listing_detail", args=[listing.pk])
    assert list(WatchedListing.objects.values_list("listing_id", flat=True)) == [listing.pk]


def test_watchlist_page_lists_only_own_rows(client, listing, dealer_org, buyer):
    other = UserFactory()
    second = PublishedListingFactory(machine__owner=dealer_org)
    watchlist_add(user=buyer, listing=listing)
    watchlist_add(user=other, listing=second)
    client.force_login(buyer)
    page = client.get(reverse("trading:watchlist")).content.decode()
    assert f'data-listing-id="{listing.pk}"' in page
    assert f'data-listing-id="{second.pk}"' not in page


def test_anonymous_visitor_sees_login_to_watch(client, listing):
    page = client.get(reverse("marketplace:listing_detail", args=[listing.pk])).content.decode()
    assert "登录后关注" in page


def test_watchlist_page_query_count_is_constant(
    client, dealer_org, buyer, django_assert_num_queries
):
    for _ in range(2):
        watchlist_add(user=buyer, listing=PublishedListingFactory(machine__owner=dealer_org))
    client.force_login(buyer)
    client.get(reverse("trading:watchlist"))
    # session, user, memberships for the menu, watched listings, unread notifications
    with django_assert_num_queries(5):
        client.get(reverse("trading:watchlist"))
    for _ in range(3):
        watchlist_add(user=buyer, listing=PublishedListingFactory(machine__owner=dealer_org))
    with django_assert_num_queries(5):
        response = client.get(reverse("trading:watchlist"))
    assert response.content.decode().count("data-listing-id=") == 5
