"""Race tests on PostgreSQL: every thread has its own database connection."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from core.errors import DomainError
from marketplace.models import ListingStatus, SaleFormat
from marketplace.tests.factories import PublishedListingFactory
from tests.races import run_together
from trading.models import Bid, Lot, LotEvent, LotEventKind, Offer, Order
from trading.rules import current_rules
from trading.services.auctions import bid_place, lot_close
from trading.services.offers import offer_accept
from trading.services.orders import buy_now
from trading.tests.conftest import make_bidder
from trading.tests.factories import AuctionListingFactory, LotFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]
THREADS = 24


def expected_by_proxy_rule(accepted, opening_bid):
    """Independent recomputation: each bidder's final maximum (ties: earlier bid wins);
    price = one increment over the runner-up's maximum, capped at the winner's."""
    final = {}
    for bid_id, org_id, maximum in sorted(accepted):
        final[org_id] = (maximum, bid_id)
    ranked = sorted(final.items(), key=lambda item: (-item[1][0], item[1][1]))
    winner, (winner_max, _) = ranked[0]
    if len(ranked) == 1:
        return winner, opening_bid
    second = ranked[1][1][0]
    if second == winner_max:
        return winner, winner_max
    return winner, min(winner_max, second + current_rules().increment_for(second))


def test_concurrent_bidders_no_bid_lost_and_proxy_rule_holds(dealer_org):
    lot = LotFactory(
        listing=AuctionListingFactory(machine__owner=dealer_org), opening_bid=Decimal("10000")
    )
    bidders = [make_bidder(lot, f"bidder{i}") for i in range(THREADS)]
    rng = random.Random(20261128)
    plans = [sorted(Decimal(rng.randrange(10000, 400000, 100)) for _ in range(8)) for _ in bidders]

    def bidder_thread(org, user, maxima):
        def run():
            accepted, rejected = [], 0
            for maximum in maxima:
                try:
                    result = bid_place(lot=lot, bidder=org, actor=user, maximum=maximum)
                    accepted.append((result.bid.pk, org.pk, maximum))
                except DomainError:
                    rejected += 1
            return accepted, rejected

        return run

    threads = [
        bidder_thread(org, user, plan) for (org, user), plan in zip(bidders, plans, strict=True)
    ]
    results = run_together(threads, pause_after_locks=False)
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    accepted = [bid for bids, _ in results for bid in bids]
    rejected = sum(count for _, count in results)
    assert len(accepted) + rejected == THREADS * 8
    assert len({org for _, org, _ in accepted}) > 2 and rejected > 0  # a real contest
    # No accepted bid lost: every accepted bid is stored, and nothing else is.
    stored = set(Bid.objects.filter(lot=lot).values_list("pk", "bidder_id", "maximum"))
    assert stored == set(accepted)
    lot.refresh_from_db()
    assert lot.bid_count == len(accepted)
    winner, price = expected_by_proxy_rule(accepted, lot.opening_bid)
    assert lot.leader_id == winner
    assert lot.current_price == price


def test_buy_now_racing_offer_acceptance_sells_once(dealer_org, dealer):
    listing = PublishedListingFactory(
        machine__owner=dealer_org, sale_format=SaleFormat.OFFER, asking_price=Decimal("300000")
    )
    offer_buyers = [make_buyer(f"offerer{i}") for i in range(THREADS // 2)]
    offers = [
        Offer.objects.create(
            listing=listing,
            buyer=org,
            made_by=user,
            amount=Decimal("280000"),
            expires_at=timezone.now() + dt.timedelta(hours=4),
        )
        for org, user in offer_buyers
    ]
    cash_buyers = [make_buyer(f"cash{i}") for i in range(THREADS // 2)]
    functions = [lambda offer=offer: offer_accept(offer=offer, actor=dealer) for offer in offers]
    functions += [
        lambda org=org, user=user: buy_now(listing=listing, buyer=org, actor=user)
        for org, user in cash_buyers
    ]
    results = run_together(functions, pause_after_locks=False)
    orders = [r for r in results if isinstance(r, Order)]
    refusals = [r for r in results if isinstance(r, DomainError)]
    assert len(orders) == 1
    assert len(refusals) == THREADS - 1
    # the sellability guard names the reason ("listing_reserved") where it sees the reservation
    expected = {"listing_not_available", "listing_reserved", "order_exists"}
    assert {r.code for r in refusals} <= expected
    assert Order.objects.filter(listing=listing).count() == 1
    listing.refresh_from_db()
    assert listing.status == ListingStatus.RESERVED
    assert Offer.objects.filter(listing=listing, status="accepted").count() == (
        1 if orders[0].channel == "offer" else 0
    )


def make_buyer(name):
    org = OrganizationFactory(name=name, kind=OrganizationKind.BUYER)
    return org, member_of(org, Role.BUYER, username=name)


def test_auction_closes_exactly_once_when_the_close_runs_concurrently(dealer_org):
    lot = LotFactory(listing=AuctionListingFactory(machine__owner=dealer_org))
    for name, maximum in (("one", "150000"), ("two", "180000")):
        org, user = make_bidder(lot, name)
        bid_place(lot=lot, bidder=org, actor=user, maximum=Decimal(maximum))
    Lot.objects.filter(pk=lot.pk).update(ends_at=timezone.now() - dt.timedelta(seconds=1))
    results = run_together(
        pause_after_locks=False,
        functions=[lambda: lot_close(lot_id=lot.pk) for _ in range(THREADS)],
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert results.count("sold") == 1
    assert results.count(None) == THREADS - 1
    assert LotEvent.objects.filter(lot=lot, kind=LotEventKind.CLOSED).count() == 1
    order = Order.objects.get(lot=lot)
    assert order.price == Decimal("151000.00")
    assert Order.objects.filter(listing=lot.listing).count() == 1
