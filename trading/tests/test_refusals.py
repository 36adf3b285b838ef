"""Every refused bid gives a clear message and changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role
from accounts.tests.factories import member_of
from core.errors import ConflictError, DomainError, PermissionDeniedError
from notifications.models import Notification
from trading.models import Bid, BidderMaximum, Lot, LotEvent
from trading.services.auctions import bid_place
from trading.tests.conftest import make_bidder
from trading.tests.factories import QualificationFactory

pytestmark = pytest.mark.django_db
D = Decimal


def snapshot(lot):
    lot = Lot.objects.get(pk=lot.pk)
    return (
        lot.current_price,
        lot.leader_id,
        lot.leader_maximum,
        lot.bid_count,
        lot.ends_at,
        lot.extension_count,
        Bid.objects.count(),
        BidderMaximum.objects.count(),
        LotEvent.objects.count(),
        Notification.objects.count(),
    )


@pytest.fixture
def lot_with_bid(lot, bidders):
    org, user = bidders[0]
    bid_place(lot=lot, bidder=org, actor=user, maximum=D("150000"))
    bid_place(lot=lot, bidder=bidders[1][0], actor=bidders[1][1], maximum=D("120000"))
    return lot  # price 121,000; next minimum 122,000


def refused(lot, org, user, amount, error, code):
    before = snapshot(lot)
    with pytest.raises(error) as info:
        bid_place(lot=lot, bidder=org, actor=user, maximum=D(amount))
    assert info.value.code == code
    assert info.value.message
    assert snapshot(lot) == before
    return info.value


def test_bid_below_increment(lot_with_bid, bidders):
    error = refused(lot_with_bid, *bidders[2], "121500", DomainError, "below_increment")
    assert "122,000.00" in error.message


def test_bid_on_own_lot(lot_with_bid, dealer_org, dealer):
    QualificationFactory(lot=lot_with_bid, bidder=dealer_org)
    refused(lot_with_bid, dealer_org, dealer, "500000", PermissionDeniedError, "own_listing")


def test_seller_member_bidding_through_another_organization(lot_with_bid, dealer_org, bidders):
    org, _user = bidders[2]
    seller_staff = member_of(dealer_org, Role.SALES, username="sellerbuyer")
    from accounts.models import Membership

    Membership.objects.create(user=seller_staff, organization=org, role=Role.BUYER)
    refused(lot_with_bid, org, seller_staff, "500000", PermissionDeniedError, "own_listing")


def test_unverified_bidder(lot_with_bid, unverified_buyer):
    org = unverified_buyer.organization
    QualificationFactory(lot=lot_with_bid, bidder=org)
    refused(
        lot_with_bid, org, unverified_buyer, "500000", PermissionDeniedError, "buyer_not_verified"
    )


def test_bid_after_close(lot_with_bid, bidders):
    Lot.objects.filter(pk=lot_with_bid.pk).update(ends_at=timezone.now() - dt.timedelta(seconds=1))
    refused(lot_with_bid, *bidders[2], "500000", ConflictError, "lot_closed")


def test_bid_on_closed_lot(lot_with_bid, bidders):
    Lot.objects.filter(pk=lot_with_bid.pk).update(status="closed")
    refused(lot_with_bid, *bidders[2], "500000", ConflictError, "lot_closed")


def test_lowering_a_maximum(lot_with_bid, bidders):
    refused(lot_with_bid, *bidders[0], "140000", DomainError, "maximum_not_raised")


def test_repeating_the_same_maximum(lot_with_bid, bidders):
    refused(lot_with_bid, *bidders[0], "150000", DomainError, "maximum_not_raised")


def test_bidder_without_qualification(lot_with_bid, buyer):
    refused(
        lot_with_bid, buyer.organization, buyer, "500000", PermissionDeniedError, "not_qualified"
    )


def test_bid_over_bidding_limit(lot_with_bid):
    org, user = make_bidder(lot_with_bid, "dave", limit=D("200000"))
    refused(lot_with_bid, org, user, "250000", DomainError, "over_limit")


def test_user_without_buy_permission(lot_with_bid, bidders):
    org, _ = bidders[2]
    viewer = member_of(org, Role.VIEWER, username="viewer")
    refused(lot_with_bid, org, viewer, "500000", PermissionDeniedError, "permission_denied")


@pytest.mark.parametrize(
    ("who", "amount", "status", "code"),
    [
        ("carol", "121500", 400, "below_increment"),
        ("alice", "140000", 400, "maximum_not_raised"),
        ("dealer", "500000", 403, "own_listing"),
        ("newbuyer", "500000", 403, "buyer_not_verified"),
    ],
)
def test_api_refusals_use_core_error_format(
    lot_with_bid, dealer_org, dealer, unverified_buyer, who, amount, status, code
):
    from accounts.models import User

    QualificationFactory(lot=lot_with_bid, bidder=dealer_org)
    QualificationFactory(lot=lot_with_bid, bidder=unverified_buyer.organization)
    client = APIClient()
    client.force_authenticate(User.objects.get(username=who))
    before = snapshot(lot_with_bid)
    response = client.post(
        f"/api/trading/lots/{lot_with_bid.pk}/bids/", {"maximum": amount}, format="json"
    )
    assert response.status_code == status
    body = response.json()
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert snapshot(lot_with_bid) == before


def test_api_bid_after_close_is_409(lot_with_bid):
    from accounts.models import User

    Lot.objects.filter(pk=lot_with_bid.pk).update(ends_at=timezone.now() - dt.timedelta(seconds=1))
    client = APIClient()
    client.force_authenticate(User.objects.get(username="carol"))
    before = snapshot(lot_with_bid)
    response = client.post(
        f"/api/trading/lots/{lot_with_bid.pk}/bids/", {"maximum": "500000"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "lot_closed"
    assert snapshot(lot_with_bid) == before


def test_html_bid_refusal_shows_message(client, lot_with_bid):
    client.login(username="carol", password="pass-1234")
    before = snapshot(lot_with_bid)
    response = client.post(
        f"/trading/lots/{lot_with_bid.pk}/bid/", {"maximum": "121500"}, follow=True
    )
    assert response.status_code == 200
    assert "出价至少为 ¥122,000.00" in response.content.decode()
    assert snapshot(lot_with_bid) == before
