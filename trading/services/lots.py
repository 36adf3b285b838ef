"""Lots and sales: creating a timed auction for a listing, scheduling its close.

A lot is created under the listing's lock (marketplace.lock_objects); the
``lot_one_open_per_listing`` constraint keeps one open lot per listing.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.permissions import Permission, require_org_permission
from core.errors import ConflictError, DomainError
from core.money import quantize_money
from marketplace.events import listing_changed
from marketplace.lock_objects import listing_lock
from marketplace.models import Listing, ListingStatus, Machine, SaleFormat
from marketplace.sellability import require_machine_sellable
from trading.errors import TradingErrorCode as Code
from trading.models import (
    Lot,
    LotEvent,
    LotEventKind,
    Sale,
)
from trading.rules import current_rules


def lot_url(lot: Lot) -> str:
    return reverse("trading:lot_detail", args=[lot.pk])


def _schedule_close(lot: Lot) -> None:
    """Ask the task worker to close the lot at its end time (after the commit), and tell
    search that the listing's closing time changed."""
    from trading.tasks import lot_close_task

    listing_changed(lot.listing_id)
    if not lot_close_task.get_backend().supports_defer:
        return  # e.g. the immediate backend in tests: the periodic sweep closes due lots
    lot_id, ends_at = lot.pk, lot.ends_at
    transaction.on_commit(lambda: lot_close_task.using(run_after=ends_at).enqueue(lot_id))


def _validate_lot_terms(
    *, starts_at: dt.datetime, ends_at: dt.datetime, opening_bid: Decimal, reserve: Decimal | None
) -> None:
    errors: dict[str, list[str]] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = [_("结束时间必须晚于开始时间。")]
    if ends_at <= timezone.now():
        errors.setdefault("ends_at", []).append(_("结束时间必须在未来。"))
    if opening_bid <= 0:
        errors["opening_bid"] = [_("起拍价必须大于零。")]
    if reserve is not None and reserve < opening_bid:
        errors["reserve_price"] = [_("保留价不能低于起拍价。")]
    if errors:
        raise DomainError(_("拍卖设置有误。"), code=Code.INVALID_LOT, fields=errors)


@transaction.atomic
def lot_create(
    *,
    listing: Listing,
    actor: User | None,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    opening_bid: Decimal,
    reserve_price: Decimal | None = None,
    sale: Sale | None = None,
    position: int = 1,
) -> Lot:
    listing = listing_lock(listing.pk, related=("seller",))
    if actor is not None:
        require_org_permission(actor, listing.seller, Permission.TRADE_SELL)
    require_machine_sellable(Machine.objects.get(pk=listing.machine_id))
    if listing.sale_format != SaleFormat.AUCTION or listing.status != ListingStatus.PUBLISHED:
        raise ConflictError(_("只有在售的拍卖挂牌才能开拍。"), code=Code.LISTING_NOT_AUCTIONABLE)
    opening_bid = quantize_money(opening_bid)
    reserve_price = quantize_money(reserve_price) if reserve_price is not None else None
    _validate_lot_terms(
        starts_at=starts_at, ends_at=ends_at, opening_bid=opening_bid, reserve=reserve_price
    )
    try:
        with transaction.atomic():
            lot = Lot.objects.create(
                listing=listing,
                sale=sale,
                position=position,
                starts_at=starts_at,
                ends_at=ends_at,
                scheduled_ends_at=ends_at,
                soft_close_minutes=current_rules().soft_close_minutes,
                opening_bid=opening_bid,
                reserve_price=reserve_price,
                currency=listing.currency,
                is_simulated=listing.is_simulated,
            )
    except IntegrityError as exc:
        raise ConflictError(_("该挂牌已有进行中的拍卖。"), code=Code.LOT_EXISTS) from exc
    LotEvent.objects.create(
        lot=lot, kind=LotEventKind.OPENED, detail={"ends_at": ends_at.isoformat()}
    )
    _schedule_close(lot)
    return lot


@dataclass(frozen=True)
class LotTerms:
    listing: Listing
    opening_bid: Decimal
    reserve_price: Decimal | None = None


@transaction.atomic
def sale_create(
    *,
    organizer: Organization,
    actor: User | None,
    title: str,
    starts_at: dt.datetime,
    first_close_at: dt.datetime,
    lots: list[LotTerms],
) -> Sale:
    """A sale whose lots close one after another, ``stagger_seconds`` apart."""
    stagger = current_rules().stagger_seconds
    sale = Sale.objects.create(
        title=title,
        organizer=organizer,
        starts_at=starts_at,
        first_close_at=first_close_at,
        stagger_seconds=stagger,
    )
    for position, terms in enumerate(lots, start=1):
        lot_create(
            listing=terms.listing,
            actor=actor,
            starts_at=starts_at,
            ends_at=first_close_at + dt.timedelta(seconds=stagger * (position - 1)),
            opening_bid=terms.opening_bid,
            reserve_price=terms.reserve_price,
            sale=sale,
            position=position,
        )
    return sale
