"""Closing a lot: the outcome, the qualifications settled, the winner's order.

Closing locks the lot (trading.lock_objects order: Lot → BidderQualification → Order …); a
closed lot ignores a second close, and the ``lotevent_one_close_per_lot`` constraint is the
last line of defence. Deposits are settled by the payments ledger with the amounts decided
here (payments.services.deposit_release / deposit_apply).
"""

import datetime as dt
from decimal import Decimal
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.money import format_cny
from marketplace.models import ListingStatus, Machine
from marketplace.sellability import machine_sale_block
from payments import services as payments
from trading.lock_objects import lot_lock
from trading.models import (
    BidderMaximum,
    BidderQualification,
    Lot,
    LotEvent,
    LotEventKind,
    LotOutcome,
    LotStatus,
    OrderChannel,
    QualificationStatus,
)
from trading.services.common import listing_text, notify_after_commit, organization_users
from trading.services.lots import _schedule_close, lot_url
from trading.services.orders import order_create
from trading.services.qualifications import (
    qualification_transition,
    qualifications_settle_at_close,
)


def lot_close(*, lot_id: int, now: dt.datetime | None = None) -> str | None:
    """Close a lot whose time is up; returns the outcome, or None if nothing was done
    (already closed, or extended: then the close is rescheduled)."""
    now = now or timezone.now()
    with transaction.atomic():
        lot = lot_lock(lot_id, related=("listing",))
        if lot.status != LotStatus.OPEN:
            return None
        if now < lot.ends_at:
            _schedule_close(lot)
            return None
        if (
            lot.listing.status != ListingStatus.PUBLISHED
            or machine_sale_block(Machine.objects.get(pk=lot.listing.machine_id)) is not None
        ):
            # withdrawn, sold elsewhere or encumbered meanwhile: no order, deposits released
            outcome = LotOutcome.WITHDRAWN
        elif lot.current_price is None:
            outcome = LotOutcome.NO_BIDS
        elif not lot.reserve_met:
            outcome = LotOutcome.RESERVE_NOT_MET
        else:
            outcome = LotOutcome.SOLD
        lot.status, lot.outcome, lot.closed_at = LotStatus.CLOSED, outcome, now
        lot.save(update_fields=["status", "outcome", "closed_at"])
        try:
            with transaction.atomic():
                LotEvent.objects.create(
                    lot=lot,
                    kind=LotEventKind.CLOSED,
                    detail={"outcome": outcome, "price": str(lot.current_price)},
                )
        except IntegrityError:
            return None
        winner = lot.leader_id if outcome == LotOutcome.SOLD else None
        winner_qualification = qualifications_settle_at_close(lot=lot, winner_id=winner)
        if outcome == LotOutcome.SOLD:
            _order_for_winner(lot=lot, qualification=winner_qualification)
        _notify_close(lot=lot, outcome=outcome)
    return outcome


def _order_for_winner(*, lot: Lot, qualification: BidderQualification | None) -> None:
    """The winner's order; their deposit (if any) is applied to it, the rest given back."""
    deposit = Decimal("0.00")
    if qualification is not None:
        deposit = qualification.deposit_amount
        qualification_transition(
            qualification=qualification, to_status=QualificationStatus.APPLIED, is_locked=True
        )
    order = order_create(
        listing=lot.listing,
        buyer=lot.leader,
        actor=None,
        channel=OrderChannel.AUCTION,
        price=lot.current_price,
        lot=lot,
        deposit_applied=deposit,
    )
    if qualification is not None:
        payments.deposit_apply(
            qualification=qualification, order=order, amount=order.deposit_applied
        )


# Titles marked here, translated per recipient (notifications.services).
_BIDDER_TITLES = {
    "trading.reserve_not_met": gettext_noop("拍卖结束，未达保留价：%(title)s"),
    "trading.won": gettext_noop("恭喜，您已竞得：%(title)s"),
    "trading.lost": gettext_noop("拍卖结束，您未竞得：%(title)s"),
}


def _notify_close(*, lot: Lot, outcome: str) -> None:
    listing = lot.listing
    seller_users = organization_users(listing.seller)
    if outcome == LotOutcome.NO_BIDS:
        notify_after_commit(
            users=seller_users,
            kind="trading.lot_no_bids",
            title=lambda: _("拍卖结束，无人出价：%(title)s") % {"title": listing.display_title},
            url=lot_url(lot),
        )
        return
    bidders = BidderMaximum.objects.filter(lot=lot).select_related("set_by_bid__placed_by")
    if outcome == LotOutcome.WITHDRAWN:
        users = [m.set_by_bid.placed_by for m in bidders if m.set_by_bid.placed_by is not None]
        notify_after_commit(
            users=users,
            kind="trading.lot_cancelled",
            title=lambda: (
                _("拍卖已取消，设备已不可售：%(title)s") % {"title": listing.display_title}
            ),
            url=lot_url(lot),
        )
        return

    def price_body() -> str:
        return _("成交价 %(price)s。") % {"price": format_cny(lot.current_price)}

    for maximum in bidders:
        user = maximum.set_by_bid.placed_by
        if user is None:
            continue
        if outcome == LotOutcome.RESERVE_NOT_MET:
            kind = "trading.reserve_not_met"
        elif maximum.bidder_id == lot.leader_id:
            kind = "trading.won"
        else:
            kind = "trading.lost"
        notify_after_commit(
            users=[user],
            kind=kind,
            title=partial(listing_text, _BIDDER_TITLES[kind], listing),
            body=price_body,
            url=lot_url(lot),
        )
    seller_text = (
        gettext_noop("拍卖成交：%(title)s")
        if outcome == LotOutcome.SOLD
        else gettext_noop("拍卖结束，未达保留价：%(title)s")
    )
    kind = "trading.lot_sold" if outcome == LotOutcome.SOLD else "trading.reserve_not_met"
    notify_after_commit(
        users=seller_users,
        kind=kind,
        title=partial(listing_text, seller_text, listing),
        body=lambda: _("最高价 %(price)s。") % {"price": format_cny(lot.current_price)},
        url=lot_url(lot),
    )


def lots_close_due(*, now: dt.datetime | None = None) -> int:
    """Safety sweep: close every open lot past its end time."""
    now = now or timezone.now()
    due = Lot.objects.filter(status=LotStatus.OPEN, ends_at__lte=now).values_list("pk", flat=True)
    return sum(1 for lot_id in list(due) if lot_close(lot_id=lot_id, now=now))
