"""Read queries of the trading app."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import Organization, User
from accounts.permissions import Permission, organizations_with_permission
from marketplace.models import Listing
from trading.models import (
    BidderMaximum,
    BidderQualification,
    Lot,
    LotOutcome,
    LotStatus,
    Offer,
    Order,
    QualificationStatus,
    SellerPayout,
    WatchedListing,
)
from trading.rules import current_rules
from trading.services.auctions import minimum_next_bid


def buyer_organization(
    user: User | None, organization_id: int | None = None
) -> Organization | None:
    """The organization the user buys for: the one named, else their first buying one."""
    organizations = organizations_with_permission(user, Permission.TRADE_BUY)
    if organization_id is not None:
        return next((org for org in organizations if org.pk == organization_id), None)
    return organizations[0] if organizations else None


def open_lot_for_listing(listing: Listing) -> Lot | None:
    return Lot.objects.filter(listing=listing).order_by("-created_at").first()


def lot_status(*, lot: Lot, organization: Organization | None) -> dict:
    """The public live state of a lot (never a maximum), plus the viewer's own position."""
    now = timezone.now()
    seconds_left = (
        max(0, int((lot.ends_at - now).total_seconds())) if lot.status == LotStatus.OPEN else 0
    )
    data = {
        "id": lot.pk,
        "status": lot.status,
        "outcome": lot.outcome,
        "current_price": str(lot.current_price) if lot.current_price is not None else None,
        "opening_bid": str(lot.opening_bid),
        "minimum_next_bid": str(
            minimum_next_bid(
                opening_bid=lot.opening_bid, price=lot.current_price, rules=current_rules()
            )
        ),
        "bid_count": lot.bid_count,
        # ISO 8601 with the site's offset (Asia/Shanghai, +08:00): the same instant, readable.
        "ends_at": timezone.localtime(lot.ends_at).isoformat(),
        "scheduled_ends_at": timezone.localtime(lot.scheduled_ends_at).isoformat(),
        "seconds_left": seconds_left,
        "extension_count": lot.extension_count,
        "soft_close_minutes": lot.soft_close_minutes,
        "has_reserve": lot.has_reserve,
        "reserve_met": lot.reserve_met,
        "currency": lot.currency,
        "you_lead": None,
        "your_maximum": None,
    }
    if organization is not None:
        maximum = BidderMaximum.objects.filter(lot=lot, bidder=organization).first()
        if maximum is not None:
            data["you_lead"] = lot.leader_id == organization.pk
            data["your_maximum"] = str(maximum.maximum)
    return data


def qualification_for(*, lot: Lot, organization: Organization | None) -> BidderQualification | None:
    if organization is None:
        return None
    return (
        BidderQualification.objects.filter(lot=lot, bidder=organization)
        .exclude(status=QualificationStatus.CANCELLED)
        .order_by("-created_at")
        .first()
    )


def _user_org_ids(user: User) -> list[int]:
    return list(user.memberships.values_list("organization_id", flat=True))


BUYING, SELLING = "buying", "selling"


def offers_for_user(user: User, side: str = "") -> QuerySet[Offer]:
    """Offers the user's organizations made (``side="buying"``), received as seller
    (``"selling"``), or both (any other value)."""
    ids = _user_org_ids(user)
    mine = {BUYING: Q(buyer_id__in=ids), SELLING: Q(listing__seller_id__in=ids)}
    condition = mine.get(side, mine[BUYING] | mine[SELLING])
    return Offer.objects.filter(condition).select_related("listing", "buyer", "listing__seller")


def orders_for_user(user: User, side: str = "") -> QuerySet[Order]:
    """Orders the user's organizations placed (``"buying"``), sold (``"selling"``) or both."""
    ids = _user_org_ids(user)
    mine = {BUYING: Q(buyer_id__in=ids), SELLING: Q(seller_id__in=ids)}
    condition = mine.get(side, mine[BUYING] | mine[SELLING])
    return Order.objects.filter(condition).select_related("listing", "buyer", "seller")


def order_visible_to(order: Order, user: User) -> bool:
    if user.is_staff:
        return True
    ids = set(_user_org_ids(user))
    return order.buyer_id in ids or order.seller_id in ids


def open_lots_by_listing(listing_ids: list[int]) -> dict[int, Lot]:
    lots = Lot.objects.filter(listing_id__in=listing_ids, status=LotStatus.OPEN)
    return {lot.listing_id: lot for lot in lots}


def listing_auction_end_times(listing_ids: list[int]) -> dict[int, dt.datetime]:
    """When each listing's open lot closes (search sorts "ending soonest" by it)."""
    lots = Lot.objects.filter(listing_id__in=list(listing_ids), status=LotStatus.OPEN)
    return dict(lots.values_list("listing_id", "ends_at"))


@dataclass(frozen=True)
class StorageStatus:
    """A paid order's collection under the published rules, as of ``today``."""

    starts_on: dt.date  # first day with a storage fee
    abandoned_on: dt.date
    days: int  # chargeable days so far (or up to collection)
    fee: Decimal


def order_storage(order: Order, today: dt.date | None = None) -> StorageStatus | None:
    """None until the order is paid. After collection, the fee recorded then."""
    if order.paid_at is None:
        return None
    rules = current_rules()
    paid_on = timezone.localdate(order.paid_at)
    if order.collected_at is not None:
        until = timezone.localdate(order.collected_at)
    elif order.abandoned_at is not None:
        until = timezone.localdate(order.abandoned_at)
    else:
        until = today or timezone.localdate()
    days = rules.storage_days(paid_on, until)
    fee = (
        order.storage_fee
        if order.collected_at is not None
        else rules.storage_fee_for(paid_on, until)
    )
    return StorageStatus(
        starts_on=rules.storage_starts_on(paid_on),
        abandoned_on=rules.abandoned_on(paid_on),
        days=days,
        fee=fee,
    )


# ---------------------------------------------------------------- watchlist and my bids


def watchlist_of(user: User) -> QuerySet[WatchedListing]:
    """The user's watched listings, newest first, with what a list row shows."""
    return WatchedListing.objects.filter(user=user).select_related(
        "listing", "listing__seller", "listing__machine", "listing__machine__brand"
    )


def is_watching(user: User | None, listing: Listing) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return WatchedListing.objects.filter(user=user, listing=listing).exists()


class BidOutcome:
    """Where the viewer stands on a lot they bid on (keys of ``BID_OUTCOME_LABELS``)."""

    LEADING = "leading"
    OUTBID = "outbid"
    WON = "won"
    LOST = "lost"
    RESERVE_NOT_MET = "reserve_not_met"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class MyBid:
    """One lot an organization of the viewer bid on, from the viewer's side."""

    lot: Lot
    bidder: Organization
    maximum: Decimal
    leading: bool
    seconds_left: int
    outcome: str
    order: Order | None

    @property
    def is_open(self) -> bool:
        return self.lot.status == LotStatus.OPEN


def _bid_outcome(lot: Lot, leading: bool) -> str:
    if lot.status == LotStatus.OPEN:
        return BidOutcome.LEADING if leading else BidOutcome.OUTBID
    if lot.outcome == LotOutcome.WITHDRAWN:
        return BidOutcome.CANCELLED
    if lot.outcome == LotOutcome.SOLD and leading:
        return BidOutcome.WON
    if lot.outcome == LotOutcome.RESERVE_NOT_MET and leading:
        return BidOutcome.RESERVE_NOT_MET
    return BidOutcome.LOST


def bids_of_user(user: User, *, now: dt.datetime | None = None) -> list[MyBid]:
    """Every lot the user's organizations hold a proxy maximum on: open lots first (ending
    soonest), then closed ones (latest first). Two queries: maxima with lots, won orders."""
    now = now or timezone.now()
    maxima = list(
        BidderMaximum.objects.filter(bidder_id__in=_user_org_ids(user)).select_related(
            "lot", "lot__listing", "bidder"
        )
    )
    won_lot_ids = [m.lot_id for m in maxima if m.lot.leader_id == m.bidder_id]
    orders = {
        order.lot_id: order
        for order in Order.objects.filter(lot_id__in=won_lot_ids).order_by("created_at")
    }
    rows = []
    for maximum in maxima:
        lot = maximum.lot
        leading = lot.leader_id == maximum.bidder_id
        seconds_left = (
            max(0, int((lot.ends_at - now).total_seconds())) if lot.status == LotStatus.OPEN else 0
        )
        rows.append(
            MyBid(
                lot=lot,
                bidder=maximum.bidder,
                maximum=maximum.maximum,
                leading=leading,
                seconds_left=seconds_left,
                outcome=_bid_outcome(lot, leading),
                order=orders.get(lot.pk) if leading else None,
            )
        )
    open_rows = sorted((r for r in rows if r.is_open), key=lambda r: (r.lot.ends_at, r.lot.pk))
    closed_rows = sorted(
        (r for r in rows if not r.is_open),
        key=lambda r: (r.lot.closed_at or r.lot.ends_at, r.lot.pk),
        reverse=True,
    )
    return open_rows + closed_rows


def payouts_of_user(user: User) -> QuerySet[SellerPayout]:
    """What the platform owes the user's selling organizations (every seller's, for platform
    staff), newest first."""
    payouts = SellerPayout.objects.all()
    if not user.is_staff:
        payouts = payouts.filter(seller_id__in=_user_org_ids(user))
    return payouts.select_related("order", "order__listing", "seller").order_by(
        "-created_at", "-id"
    )


# ---------------------------------------------------------------- payment notice and payouts


def order_on_buyer_side(order: Order, user: User) -> bool:
    """A member of the buyer organization, or platform staff: who may see how to pay."""
    if not user.is_authenticated:
        return False
    return user.is_staff or order.buyer_id in set(_user_org_ids(user))


@dataclass(frozen=True)
class PayoutTotals:
    gross: Decimal
    commission: Decimal
    fees: Decimal
    net: Decimal
    count: int


def payout_totals(payouts) -> PayoutTotals:
    """Sums of the payouts shown (one aggregate query)."""
    zero = Decimal("0.00")
    sums = payouts.order_by().aggregate(
        gross=Sum("gross"), commission=Sum("commission"), fees=Sum("fees"), net=Sum("amount")
    )
    return PayoutTotals(
        gross=sums["gross"] or zero,
        commission=sums["commission"] or zero,
        fees=sums["fees"] or zero,
        net=sums["net"] or zero,
        count=payouts.count(),
    )
