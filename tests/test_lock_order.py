"""The project lock order holds under load: a sale racing other writes on the same listing.

One thread closes the sale (``listing_mark_sold`` on a reserved listing, as a paid order
does), the others at the same moment release the reservation, withdraw the listing, edit its
price and report an hour reading on its machine. Every statement that takes a row lock is
followed by a short pause in each thread, so the threads really interleave between their
locks. With the order Listing → Machine (marketplace.lock_objects) no round deadlocks; with
the old order (the sale locking the machine first while a transition locked listing and
machine together) PostgreSQL detects a deadlock in most rounds.
"""

import itertools
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection

from core.errors import ConflictError
from marketplace import services
from marketplace.models import (
    HourMeterReading,
    Listing,
    ListingEvent,
    ListingStatus,
    Machine,
    OwnershipTransfer,
    SaleChannel,
    SaleRecord,
)
from marketplace.tests.factories import PublishedListingFactory
from tests.races import run_together

S = ListingStatus
ROUNDS = 8

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and deadlock detection need PostgreSQL (SQLite locks the whole file)",
    ),
]


def _event_path_is_valid(listing: Listing) -> bool:
    """Each event starts where the previous one ended, along an allowed transition."""
    events = list(ListingEvent.objects.filter(listing=listing).order_by("created_at", "id"))
    for before, after in itertools.pairwise(events):
        if after.from_status != before.to_status:
            return False
        if after.to_status not in services.LISTING_TRANSITIONS[before.to_status]:
            return False
    return events[-1].to_status == listing.status


def _one_round(dealer, dealer_org, buyer_org, hours):
    listing = PublishedListingFactory(machine__owner=dealer_org)
    listing = services.listing_reserve(listing=listing, actor=None, reason="order")
    machine = listing.machine
    sale, release, withdraw, edit, reading = run_together(
        [
            lambda: services.listing_mark_sold(
                listing=listing,
                price=Decimal("350000"),
                channel=SaleChannel.FIXED,
                buyer=buyer_org,
                actor=None,
            ),
            lambda: services.listing_release(listing=listing, actor=None, reason="order cancelled"),
            lambda: services.listing_withdraw(listing=listing, actor=dealer),
            lambda: services.listing_update(
                listing=listing,
                actor=dealer,
                data=services.ListingInput(
                    title=listing.title, sale_format=listing.sale_format, asking_price=Decimal("1")
                ),
            ),
            lambda: services.machine_hours_report(machine=machine, actor=dealer, hours=hours),
        ]
    )
    return (
        listing,
        machine,
        {"sale": sale, "release": release, "withdraw": withdraw, "edit": edit, "reading": reading},
    )


def test_sale_and_concurrent_listing_writes_never_deadlock(dealer, dealer_org, buyer_org):
    deadlocks = []
    for round_number in range(ROUNDS):
        hours = 4300 + round_number
        listing, machine, results = _one_round(dealer, dealer_org, buyer_org, hours)
        errors = {name: r for name, r in results.items() if isinstance(r, DatabaseError)}
        deadlocks.extend(f"round {round_number} {name}: {exc}" for name, exc in errors.items())
        unexpected = {
            name: r
            for name, r in results.items()
            if isinstance(r, Exception) and not isinstance(r, ConflictError | DatabaseError)
        }
        assert unexpected == {}
        if errors:
            continue
        listing.refresh_from_db()
        machine.refresh_from_db()
        assert _event_path_is_valid(listing)
        # The reservation ends exactly once: sold (release refused) or released (sale refused).
        sold = listing.status == S.SOLD
        assert isinstance(results["sale"], SaleRecord) is sold
        assert isinstance(results["release"], ConflictError) is sold
        assert SaleRecord.objects.filter(listing=listing).count() == (1 if sold else 0)
        assert OwnershipTransfer.objects.filter(machine=machine).count() == (1 if sold else 0)
        assert machine.owner_id == (buyer_org.pk if sold else listing.seller_id)
        if sold:
            assert listing.status == S.SOLD
            assert isinstance(results["withdraw"], ConflictError)
        else:
            # released first; the withdrawal may then have taken it off the market
            assert listing.status in {S.PUBLISHED, S.WITHDRAWN}
            assert (listing.status == S.WITHDRAWN) is isinstance(results["withdraw"], Listing)
        # A price edit is refused in every state this race can reach (none is editable).
        assert isinstance(results["edit"], ConflictError)
        assert results["edit"].code == "not_editable"
        # The hour reading is independent of the sale: it always lands.
        assert isinstance(results["reading"], HourMeterReading)
        assert machine.current_hours == hours
        assert Machine.objects.get(pk=machine.pk).hour_readings.filter(hours=hours).count() == 1
    assert deadlocks == []
