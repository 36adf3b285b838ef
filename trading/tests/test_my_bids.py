"""The buyer's my-bids page: every lot bid on, own maximum, leading or not, time left,
outcome."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from trading.models import Lot
from trading.selectors import BidOutcome, bids_of_user
from trading.services.auctions import bid_place
from trading.tests.conftest import make_bidder
from trading.tests.factories import AuctionListingFactory, LotFactory, QualificationFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def lots(dealer_org):
    return [LotFactory(listing=AuctionListingFactory(machine__owner=dealer_org)) for _ in range(4)]


def test_my_bids_rows_and_outcomes(client, lots, buyer):
    org = buyer.organization
    rival_org, rival = make_bidder(lots[1], "rival")
    for lot in lots:
        QualificationFactory(lot=lot, bidder=org)
    bid_place(lot=lots[0], bidder=org, actor=buyer, maximum=D("150000"))  # leading
    bid_place(lot=lots[1], bidder=org, actor=buyer, maximum=D("120000"))
    bid_place(lot=lots[1], bidder=rival_org, actor=rival, maximum=D("200000"))  # outbid
    bid_place(lot=lots[2], bidder=org, actor=buyer, maximum=D("130000"))  # won below
    bid_place(lot=lots[3], bidder=org, actor=buyer, maximum=D("110000"))  # reserve not met
    now = timezone.now()
    Lot.objects.filter(pk=lots[2].pk).update(status="closed", outcome="sold", closed_at=now)
    Lot.objects.filter(pk=lots[3].pk).update(
        status="closed", outcome="reserve_not_met", closed_at=now - dt.timedelta(hours=1)
    )
    Lot.objects.filter(pk=lots[0].pk).update(ends_at=now + dt.timedelta(minutes=30))
    rows = bids_of_user(buyer, now=now)
    assert [(r.lot.pk, r.outcome, r.maximum, r.leading) for r in rows] == [
        (lots[0].pk, BidOutcome.LEADING, D("150000.00"), True),
        (lots[1].pk, BidOutcome.OUTBID, D("120000.00"), False),
        (lots[2].pk, BidOutcome.WON, D("130000.00"), True),
        (lots[3].pk, BidOutcome.RESERVE_NOT_MET, D("110000.00"), True),
    ]
    assert 1790 <= rows[0].seconds_left <= 1800
    assert rows[2].seconds_left == 0
    assert [r.lot.pk for r in bids_of_user(rival)] == [lots[1].pk]

    client.force_login(buyer)
    page = client.get(reverse("trading:my_bids")).content.decode()
    for lot, outcome in zip(lots, ["leading", "outbid", "won", "reserve_not_met"], strict=True):
        assert f'data-lot-id="{lot.pk}" data-outcome="{outcome}"' in page
    assert "¥150,000" in page


def test_my_bids_never_shows_a_rivals_maximum(client, lots, buyer):
    org = buyer.organization
    rival_org, rival = make_bidder(lots[0], "rival")
    QualificationFactory(lot=lots[0], bidder=org)
    bid_place(lot=lots[0], bidder=org, actor=buyer, maximum=D("120000"))
    bid_place(lot=lots[0], bidder=rival_org, actor=rival, maximum=D("345678"))
    client.force_login(buyer)
    page = client.get(reverse("trading:my_bids")).content.decode()
    assert "345,678" not in page
    assert "¥120,000" in page


def test_my_bids_query_count(client, lots, buyer, django_assert_num_queries):
    org = buyer.organization
    for lot in lots:
        QualificationFactory(lot=lot, bidder=org)
        bid_place(lot=lot, bidder=org, actor=buyer, maximum=D("120000"))
    client.force_login(buyer)
    client.get(reverse("trading:my_bids"))
    # session, user, memberships for the menu, user's organizations, maxima, won orders,
    # unread notifications
    with django_assert_num_queries(7):
        response = client.get(reverse("trading:my_bids"))
    assert len(response.context["rows"]) == 4


def test_empty_my_bids(client, buyer):
    client.force_login(buyer)
    assert "您还没有参与竞拍。" in client.get(reverse("trading:my_bids")).content.decode()
