"""Read queries of the trading app."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Organization, User
from accounts.permissions import Permission, organizations_with_permission
from marketplace.models import Listing
from trading.models import (
    BidderMaximum,
    BidderQualification,
    Lot,
    LotStatus,
    Offer,
    Order,
    QualificationStatus,
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
        "ends_at": lot.ends_at.isoformat(),
        "scheduled_ends_at": lot.scheduled_ends_at.isoformat(),
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


def offers_for_user(user: User) -> QuerySet[Offer]:
    ids = _user_org_ids(user)
    return Offer.objects.filter(Q(buyer_id__in=ids) | Q(listing__seller_id__in=ids)).select_related(
        "listing", "buyer", "listing__seller"
    )


def orders_for_user(user: User) -> QuerySet[Order]:
    ids = _user_org_ids(user)
    return Order.objects.filter(Q(buyer_id__in=ids) | Q(seller_id__in=ids)).select_related(
        "listing", "buyer", "seller"
    )


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
