"""Price changes of published listings, their history and the "降价" badge (issue #14)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import member_of
from core.errors import ConflictError, DomainError, PermissionDeniedError
from marketplace.listing_page import listing_price_history, recent_price_drops
from marketplace.models import ListingPriceChange, ListingStatus, SaleFormat
from marketplace.services.listing_content import listing_price_change
from marketplace.tests.factories import MachineFactory, PublishedListingFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def listing(dealer_org):
    return PublishedListingFactory(machine=MachineFactory(owner=dealer_org), asking_price=D(380000))


def test_the_seller_lowers_the_price_and_the_change_is_recorded(listing, dealer):
    change = listing_price_change(
        listing=listing, actor=dealer, new_price=D("350000"), reason="  年底清库  "
    )
    listing.refresh_from_db()
    assert listing.asking_price == D("350000.00")
    assert (change.old_price, change.new_price, change.reason) == (D(380000), D(350000), "年底清库")
    assert change.is_drop and change.changed_by == dealer
    history = listing_price_history(listing=listing)
    assert history.first_price == D("380000.00")
    assert history.latest_drop == change


@pytest.mark.parametrize("who", ["anonymous", "other_dealer", "buyer", "viewer"])
def test_only_the_sellers_managers_change_the_price(who, listing, other_dealer, buyer, dealer_org):
    from django.contrib.auth.models import AnonymousUser

    actor = {
        "anonymous": AnonymousUser(),
        "other_dealer": other_dealer,
        "buyer": buyer,
        "viewer": member_of(dealer_org, Role.VIEWER, username="viewer"),
    }[who]
    with pytest.raises(PermissionDeniedError):
        listing_price_change(listing=listing, actor=actor, new_price=D(300000))
    listing.refresh_from_db()
    assert listing.asking_price == D(380000)
    assert ListingPriceChange.objects.count() == 0


@pytest.mark.parametrize(
    ("price", "reason", "field", "message"),
    [
        (None, "", "new_price", "请填写新价格。"),
        (D("380000.00"), "", "new_price", "新价格与当前价格相同。"),
        (D("1"), "", "new_price", "价格不能低于"),
        (D(300000), "很" * 201, "reason", "调价说明不能超过 200 个字。"),
    ],
)
def test_bad_prices_are_refused_per_field(listing, dealer, price, reason, field, message):
    with pytest.raises(DomainError) as caught:
        listing_price_change(listing=listing, actor=dealer, new_price=price, reason=reason)
    assert message in caught.value.fields[field][0]
    assert ListingPriceChange.objects.count() == 0


def test_drafts_and_auctions_are_not_repriced_here(dealer, dealer_org):
    draft = PublishedListingFactory(machine__owner=dealer_org, status=ListingStatus.DRAFT)
    auction = PublishedListingFactory(
        machine__owner=dealer_org, sale_format=SaleFormat.AUCTION, asking_price=D(200000)
    )
    for item, code in ((draft, "not_published"), (auction, "auction")):
        with pytest.raises(ConflictError) as caught:
            listing_price_change(listing=item, actor=dealer, new_price=D(150000))
        assert caught.value.code == code


def test_recent_drops_only_and_in_one_query(listing, dealer, dealer_org):
    raised = PublishedListingFactory(machine__owner=dealer_org, asking_price=D(100000))
    old = PublishedListingFactory(machine__owner=dealer_org, asking_price=D(100000))
    drop = listing_price_change(listing=listing, actor=dealer, new_price=D(350000))
    listing_price_change(listing=raised, actor=dealer, new_price=D(120000))
    old_drop = listing_price_change(listing=old, actor=dealer, new_price=D(90000))
    ListingPriceChange.objects.filter(pk=old_drop.pk).update(
        created_at=timezone.now() - dt.timedelta(days=31)
    )
    with CaptureQueriesContext(connection) as queries:
        drops = recent_price_drops([listing.pk, raised.pk, old.pk])
    assert drops == {listing.pk: drop}
    assert len(queries.captured_queries) == 1


def test_listing_page_shows_the_drop(client, listing, dealer):
    listing_price_change(listing=listing, actor=dealer, new_price=D(350000))
    page = client.get(reverse("marketplace:listing_detail", args=[listing.pk])).content.decode()
    badge = '<span class="badge price-drop" title="原价 ¥380,000.00">降价 ¥30,000</span>'
    assert badge in page
    assert 'id="price-history"' in page
    assert "<td>¥350,000.00</td>" in page and "<td>¥380,000.00</td>" in page


def test_the_price_form_on_the_page_and_its_errors(client, listing, dealer):
    client.force_login(dealer)
    page = client.get(reverse("marketplace:listing_detail", args=[listing.pk])).content.decode()
    url = reverse("marketplace:listing_price_change", args=[listing.pk])
    assert f'action="{url}"' in page
    bad = client.post(url, {"new_price": "abc"})
    assert bad.status_code == 400
    assert "<strong>新价格（元）</strong><p>请输入数字。</p>" in bad.content.decode()
    same = client.post(url, {"new_price": "380000"})
    assert same.status_code == 400
    assert "新价格与当前价格相同。" in same.content.decode()
    done = client.post(url, {"new_price": "360000", "reason": ""})
    assert done.status_code == 302
    assert done["Location"].endswith("#price-history")
    listing.refresh_from_db()
    assert listing.asking_price == D(360000)


def test_a_buyer_sees_no_price_form_and_is_refused(client, listing, buyer):
    client.force_login(buyer)
    url = reverse("marketplace:listing_price_change", args=[listing.pk])
    page = client.get(reverse("marketplace:listing_detail", args=[listing.pk])).content.decode()
    assert f'action="{url}"' not in page
    response = client.post(url, {"new_price": "1000"})
    assert response.status_code == 403
    assert ListingPriceChange.objects.count() == 0
