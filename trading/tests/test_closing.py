import datetime as dt
import time
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from marketplace.models import ListingStatus
from trading.models import (
    BidderQualification,
    Lot,
    LotOutcome,
    LotStatus,
    Order,
    QualificationStatus,
)
from trading.services.auctions import (
    LotTerms,
    bid_place,
    lot_close,
    lot_create,
    lots_close_due,
    sale_create,
)
from trading.tests.conftest import make_bidder
from trading.tests.factories import AuctionListingFactory

D = Decimal
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def end_now(lot):
    Lot.objects.filter(pk=lot.pk).update(ends_at=timezone.now() - dt.timedelta(seconds=1))


@pytest.mark.django_db
def test_close_sold_creates_order_with_deposit_and_releases_losers(
    lot, django_capture_on_commit_callbacks
):
    winner, winner_user = make_bidder(lot, "win")
    loser, loser_user = make_bidder(lot, "lose")
    BidderQualification.objects.filter(lot=lot, bidder=winner).update(
        deposit_amount=D("50000.00"), method="bank"
    )
    bid_place(lot=lot, bidder=winner, actor=winner_user, maximum=D("300000"))
    bid_place(lot=lot, bidder=loser, actor=loser_user, maximum=D("250000"))
    end_now(lot)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert lot_close(lot_id=lot.pk) == LotOutcome.SOLD
    lot.refresh_from_db()
    assert (lot.status, lot.outcome, lot.current_price) == (
        LotStatus.CLOSED,
        LotOutcome.SOLD,
        D("252000.00"),
    )
    order = Order.objects.get(lot=lot)
    assert order.buyer == winner
    assert order.channel == "auction"
    assert order.price == D("252000.00")
    # 3% fee in the 200k–1M band, 6% VAT on the fee.
    assert order.buyer_fee == D("7560.00")
    assert order.fee_vat == D("453.60")
    assert order.total == D("260013.60")
    assert order.deposit_applied == D("50000.00")
    assert order.amount_due == D("210013.60")
    lot.listing.refresh_from_db()
    assert lot.listing.status == ListingStatus.RESERVED
    statuses = dict(BidderQualification.objects.filter(lot=lot).values_list("bidder_id", "status"))
    assert statuses == {
        winner.pk: QualificationStatus.APPLIED,
        loser.pk: QualificationStatus.RELEASED,
    }
    kinds = sorted(n.kind for n in winner_user.notifications.all()) + sorted(
        n.kind for n in loser_user.notifications.all()
    )
    assert kinds == ["trading.payment_due", "trading.won", "trading.lost"]


@pytest.mark.django_db
def test_close_reserve_not_met(lot, django_capture_on_commit_callbacks):
    Lot.objects.filter(pk=lot.pk).update(reserve_price=D("500000"))
    lot.refresh_from_db()
    org, user = make_bidder(lot, "low")
    bid_place(lot=lot, bidder=org, actor=user, maximum=D("300000"))
    end_now(lot)
    with django_capture_on_commit_callbacks(execute=True):
        assert lot_close(lot_id=lot.pk) == LotOutcome.RESERVE_NOT_MET
    assert Order.objects.count() == 0
    assert user.notifications.filter(kind="trading.reserve_not_met").count() == 1
    assert (
        BidderQualification.objects.get(lot=lot, bidder=org).status == QualificationStatus.RELEASED
    )
    lot.listing.refresh_from_db()
    assert lot.listing.status == ListingStatus.PUBLISHED


@pytest.mark.django_db
def test_close_no_bids_and_not_before_end(lot):
    assert lot_close(lot_id=lot.pk) is None  # not due yet
    lot.refresh_from_db()
    assert lot.status == LotStatus.OPEN
    end_now(lot)
    assert lots_close_due() == 1
    lot.refresh_from_db()
    assert lot.outcome == LotOutcome.NO_BIDS
    assert lots_close_due() == 0


@pytest.mark.django_db
def test_sale_staggers_closing_times(dealer_org, dealer):
    listings = [AuctionListingFactory(machine__owner=dealer_org) for _ in range(3)]
    first = timezone.now() + dt.timedelta(hours=3)
    sale = sale_create(
        organizer=dealer_org,
        actor=dealer,
        title="长沙秋季拍卖会",
        starts_at=timezone.now(),
        first_close_at=first,
        lots=[LotTerms(listing=listing, opening_bid=D("50000")) for listing in listings],
    )
    ends = list(sale.lots.order_by("position").values_list("ends_at", flat=True))
    assert ends == [first, first + dt.timedelta(seconds=60), first + dt.timedelta(seconds=120)]


@pytest.mark.django_db
def test_lot_create_refuses_bad_terms_and_changes_nothing(dealer_org, dealer):
    from core.errors import DomainError

    listing = AuctionListingFactory(machine__owner=dealer_org)
    with pytest.raises(DomainError) as info:
        lot_create(
            listing=listing,
            actor=dealer,
            starts_at=timezone.now(),
            ends_at=timezone.now() + dt.timedelta(hours=1),
            opening_bid=D("100000"),
            reserve_price=D("50000"),
        )
    assert set(info.value.fields) == {"reserve_price"}
    assert Lot.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_real_db_worker_closes_the_lot_on_time_without_web_traffic(dealer_org, dealer):
    listing = AuctionListingFactory(machine__owner=dealer_org)
    with override_settings(TASKS=DB_TASKS):
        from django_tasks_db.models import DBTaskResult

        lot = lot_create(
            listing=listing,
            actor=dealer,
            starts_at=timezone.now() - dt.timedelta(minutes=1),
            ends_at=timezone.now() + dt.timedelta(seconds=2),
            opening_bid=D("100000"),
        )
        task = DBTaskResult.objects.get(task_path="trading.tasks.lot_close_task")
        assert task.args_kwargs["args"] == [lot.pk]
        assert task.run_after == lot.ends_at
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        lot.refresh_from_db()
        assert lot.status == LotStatus.OPEN  # not due yet: the worker left it alone
        time.sleep(max(0.0, (lot.ends_at - timezone.now()).total_seconds()) + 0.2)
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    lot.refresh_from_db()
    assert lot.status == LotStatus.CLOSED
    assert lot.outcome == LotOutcome.NO_BIDS


@pytest.mark.django_db(transaction=True)
def test_close_task_reschedules_itself_when_the_lot_was_extended(lot):
    with override_settings(TASKS=DB_TASKS):
        from django_tasks_db.models import DBTaskResult

        from trading.tasks import lot_close_task

        lot_close_task.call(lot.pk)
        rescheduled = DBTaskResult.objects.get(task_path="trading.tasks.lot_close_task")
        assert rescheduled.run_after == lot.ends_at
    lot.refresh_from_db()
    assert lot.status == LotStatus.OPEN


@pytest.mark.django_db
def test_close_after_listing_was_withdrawn_creates_no_order(
    lot, dealer, django_capture_on_commit_callbacks
):
    from marketplace.services import listing_withdraw

    org, user = make_bidder(lot, "early")
    bid_place(lot=lot, bidder=org, actor=user, maximum=D("300000"))
    listing_withdraw(listing=lot.listing, actor=dealer)
    end_now(lot)
    with django_capture_on_commit_callbacks(execute=True):
        assert lot_close(lot_id=lot.pk) == LotOutcome.WITHDRAWN
    assert Order.objects.count() == 0
    assert (
        BidderQualification.objects.get(lot=lot, bidder=org).status == QualificationStatus.RELEASED
    )
    assert user.notifications.filter(kind="trading.lot_cancelled").count() == 1
