"""Timed auctions: lots, proxy bidding, soft close, closing.

Proxy rule (DOMAIN.md): each bidder's maximum stays hidden; the price is only as much as
needed over the next best maximum (one increment above it, capped at the leader's maximum);
on equal maxima the earlier bid wins; a maximum can be raised, never lowered; accepted bids
are binding. With a reserve, the price rises to the reserve as soon as the leader's maximum
covers it.

Every bid locks the lot row (``select_for_update``), so bids are serialised per lot and none
is lost. Closing locks the same row; a closed lot ignores a second close, and the
``lotevent_one_close_per_lot`` constraint is the last line of defence.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.permissions import Permission, require_org_permission
from core.errors import ConflictError, DomainError, PermissionDeniedError
from core.money import format_cny, quantize_money
from marketplace.models import Listing, ListingStatus, Machine, SaleFormat
from marketplace.search.indexing import listing_changed
from marketplace.sellability import machine_sale_block, require_machine_sellable
from trading.models import (
    Bid,
    BidderMaximum,
    BidderQualification,
    DepositMethod,
    Lot,
    LotEvent,
    LotEventKind,
    LotOutcome,
    LotStatus,
    OrderChannel,
    QualificationStatus,
    Sale,
)
from trading.rules import TradingRules, current_rules
from trading.services.common import notify_after_commit, organization_users, require_buyer


def lot_url(lot: Lot) -> str:
    return reverse("trading:lot_detail", args=[lot.pk])


# ---------------------------------------------------------------- the proxy rule (pure)


@dataclass(frozen=True)
class ProxyOutcome:
    leader_id: int
    leader_maximum: Decimal
    price: Decimal
    leader_changed: bool


def minimum_next_bid(
    *, opening_bid: Decimal, price: Decimal | None, rules: TradingRules
) -> Decimal:
    if price is None:
        return opening_bid
    return price + rules.increment_for(price)


def proxy_apply(
    *,
    rules: TradingRules,
    opening_bid: Decimal,
    reserve: Decimal | None,
    price: Decimal | None,
    leader_id: int | None,
    leader_maximum: Decimal | None,
    bidder_id: int,
    maximum: Decimal,
) -> ProxyOutcome:
    """The state after an accepted bid (validation is done by the caller)."""
    if price is None or leader_id is None:
        new = ProxyOutcome(bidder_id, maximum, opening_bid, True)
    elif bidder_id == leader_id:
        new = ProxyOutcome(leader_id, maximum, price, False)
    elif maximum > leader_maximum:
        step = leader_maximum + rules.increment_for(leader_maximum)
        new = ProxyOutcome(bidder_id, maximum, min(maximum, step), True)
    else:  # equal or lower maximum: the earlier bidder keeps the lead
        step = maximum + rules.increment_for(maximum)
        new = ProxyOutcome(leader_id, leader_maximum, min(leader_maximum, step), False)
    if reserve is not None and new.price < reserve <= new.leader_maximum:
        new = ProxyOutcome(new.leader_id, new.leader_maximum, reserve, new.leader_changed)
    return new


# ---------------------------------------------------------------- lots and sales


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
        raise DomainError(_("拍卖设置有误。"), code="invalid_lot", fields=errors)


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
    listing = Listing.objects.select_for_update().select_related("seller").get(pk=listing.pk)
    if actor is not None:
        require_org_permission(actor, listing.seller, Permission.TRADE_SELL)
    require_machine_sellable(Machine.objects.get(pk=listing.machine_id))
    if listing.sale_format != SaleFormat.AUCTION or listing.status != ListingStatus.PUBLISHED:
        raise ConflictError(_("只有在售的拍卖挂牌才能开拍。"), code="listing_not_auctionable")
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
        raise ConflictError(_("该挂牌已有进行中的拍卖。"), code="lot_exists") from exc
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


# ---------------------------------------------------------------- qualification


def _deposit_waived(organization: Organization) -> bool:
    from leasing.selectors import organization_has_active_preapproval

    return organization_has_active_preapproval(organization)


def qualification_request(
    *,
    lot: Lot,
    bidder: Organization,
    actor: User,
    bidding_limit: Decimal,
    method: str,
    payment_method: str = "",
) -> BidderQualification:
    """Ask to bid up to ``bidding_limit``. The deposit is waived for finance-approved buyers;
    otherwise a card hold (Stripe, manual capture) or a bank deposit confirmed by staff."""
    from payments import services as payments

    lot = Lot.objects.select_related("listing__seller").get(pk=lot.pk)
    require_buyer(actor=actor, buyer=bidder, seller=lot.listing.seller)
    bidding_limit = quantize_money(bidding_limit)
    if bidding_limit < lot.opening_bid:
        message = _("竞价上限不能低于起拍价 %(amount)s。") % {"amount": format_cny(lot.opening_bid)}
        raise DomainError(message, code="limit_too_low", fields={"bidding_limit": [message]})
    if lot.status != LotStatus.OPEN:
        raise ConflictError(_("拍卖已结束。"), code="lot_closed")
    rules = current_rules()
    waived = _deposit_waived(bidder)
    if waived:
        method = DepositMethod.WAIVED
    elif method not in (DepositMethod.CARD, DepositMethod.BANK):
        raise DomainError(_("请选择保证金缴纳方式。"), code="invalid_method")
    deposit = Decimal("0.00") if waived else rules.deposit_for(bidding_limit)
    window = dt.timedelta(days=rules.card_deposit_window_days)
    if method == DepositMethod.CARD and lot.ends_at > timezone.now() + window:
        message = _(
            "该拍品 %(ends)s 结束，银行卡预授权约 %(days)s 天后失效，覆盖不到结束：请选择对公转账，"
            "或在结束前 %(window)s 天内再用银行卡申请。"
        ) % {
            "ends": timezone.localtime(lot.ends_at).strftime("%Y-%m-%d %H:%M"),
            "days": rules.card_hold_days,
            "window": rules.card_deposit_window_days,
        }
        raise DomainError(message, code="card_hold_too_short", fields={"method": [message]})
    if method == DepositMethod.CARD and (
        deposit > rules.card_charge_limit or not payments.card_enabled()
    ):
        raise DomainError(_("该保证金请使用对公转账缴纳。"), code="card_unavailable")
    try:
        with transaction.atomic():
            qualification = BidderQualification.objects.create(
                lot=lot,
                bidder=bidder,
                requested_by=actor,
                bidding_limit=bidding_limit,
                deposit_amount=deposit,
                currency=lot.currency,
                method=method,
                status=QualificationStatus.ACTIVE if waived else QualificationStatus.PENDING,
            )
    except IntegrityError as exc:
        raise ConflictError(_("您已申请该拍品的竞买资格。"), code="qualification_exists") from exc
    if method == DepositMethod.BANK:
        payments.deposit_bank_expect(qualification=qualification)
    elif method == DepositMethod.CARD:
        payments.deposit_card_hold(qualification=qualification, payment_method=payment_method)
        qualification.refresh_from_db()
    return qualification


def qualification_activate(*, qualification: BidderQualification) -> BidderQualification:
    """The deposit is held (card) or received (bank): the bidder may bid."""
    with transaction.atomic():
        qualification = BidderQualification.objects.select_for_update().get(pk=qualification.pk)
        if qualification.status == QualificationStatus.PENDING:
            qualification.status = QualificationStatus.ACTIVE
            qualification.save(update_fields=["status", "updated_at"])
    return qualification


# ---------------------------------------------------------------- bidding


@dataclass(frozen=True)
class BidResult:
    bid: Bid
    leading: bool
    price: Decimal
    ends_at: dt.datetime
    extended: bool


def _refuse(message: str, code: str, error=DomainError) -> None:
    raise error(message, code=code, fields={"maximum": [message]})


def _check_public(
    *, lot: Lot, bidder: Organization, maximum: Decimal, now: dt.datetime, rules: TradingRules
) -> None:
    """Refusals that depend only on the lot's public state (open, price, increment)."""
    if lot.status != LotStatus.OPEN or now >= lot.ends_at:
        _refuse(_("拍卖已结束，不能再出价。"), "lot_closed", ConflictError)
    if now < lot.starts_at:
        _refuse(_("拍卖尚未开始。"), "lot_not_started", ConflictError)
    if lot.leader_id != bidder.pk:
        minimum = minimum_next_bid(
            opening_bid=lot.opening_bid, price=lot.current_price, rules=rules
        )
        if maximum < minimum:
            _refuse(
                _("出价至少为 %(amount)s（当前价加一个加价幅度）。")
                % {"amount": format_cny(minimum)},
                "below_increment",
            )


def _check_bid(
    *,
    lot: Lot,
    bidder: Organization,
    maximum: Decimal,
    now: dt.datetime,
    rules: TradingRules,
    limit: Decimal | None,
    previous: Decimal | None,
) -> None:
    """All refusal rules, applied to one consistent (locked) view of the lot and bidder."""
    _check_public(lot=lot, bidder=bidder, maximum=maximum, now=now, rules=rules)
    if limit is None:
        _refuse(_("请先缴纳保证金、取得竞买资格后再出价。"), "not_qualified", PermissionDeniedError)
    if maximum > limit:
        _refuse(_("出价超过您的竞价上限 %(limit)s。") % {"limit": format_cny(limit)}, "over_limit")
    if previous is not None and maximum <= previous:
        _refuse(
            _("最高出价只能提高，不能降低（当前 %(amount)s）。") % {"amount": format_cny(previous)},
            "maximum_not_raised",
        )


def _with_bidder_state(queryset, bidder: Organization):
    """Annotate the lot with the bidder's limit and current maximum (one query)."""
    return queryset.annotate(
        bidder_limit=Subquery(
            BidderQualification.objects.filter(
                lot=OuterRef("pk"), bidder=bidder, status=QualificationStatus.ACTIVE
            ).values("bidding_limit")[:1]
        ),
        bidder_maximum=Subquery(
            BidderMaximum.objects.filter(lot=OuterRef("pk"), bidder=bidder).values("maximum")[:1]
        ),
    )


def bid_place(*, lot: Lot, bidder: Organization, actor: User, maximum: Decimal) -> BidResult:
    """Place (or raise) a proxy maximum. Refusals raise a DomainError and change nothing.

    The public rules (lot open, minimum increment) are checked first on an unlocked read: a
    refusal there is correct as of that read, since a lot's price only rises. Then the
    bidder's permission, and then every rule again under the lot's row lock, whose view is the
    one an accepted bid is based on. Most losing bids in a rush cost one query and never wait
    for the lock; the locked section is four statements.
    """
    if bidder is None:
        raise PermissionDeniedError(_("您没有执行此操作的权限。"))
    maximum = quantize_money(maximum)
    if maximum <= 0:
        _refuse(_("出价必须大于零。"), "invalid_amount")
    rules = current_rules()
    snapshot = Lot.objects.select_related("listing__seller", "listing__machine").get(pk=lot.pk)
    _check_public(lot=snapshot, bidder=bidder, maximum=maximum, now=timezone.now(), rules=rules)
    require_buyer(actor=actor, buyer=bidder, seller=snapshot.listing.seller)
    require_machine_sellable(snapshot.listing.machine)
    with transaction.atomic():
        lot = _with_bidder_state(Lot.objects.select_for_update(), bidder).get(pk=lot.pk)
        lot.listing = snapshot.listing
        now = timezone.now()
        _check_bid(
            lot=lot,
            bidder=bidder,
            maximum=maximum,
            now=now,
            rules=rules,
            limit=lot.bidder_limit,
            previous=lot.bidder_maximum,
        )
        return _accept_bid(
            lot=lot, bidder=bidder, actor=actor, maximum=maximum, now=now, rules=rules
        )


def _accept_bid(*, lot, bidder, actor, maximum, now, rules) -> BidResult:
    old_leader_id = lot.leader_id
    outcome = proxy_apply(
        rules=rules,
        opening_bid=lot.opening_bid,
        reserve=lot.reserve_price,
        price=lot.current_price,
        leader_id=lot.leader_id,
        leader_maximum=lot.leader_maximum,
        bidder_id=bidder.pk,
        maximum=maximum,
    )
    window = dt.timedelta(minutes=lot.soft_close_minutes)
    extended = lot.ends_at - now <= window
    bid = Bid.objects.create(
        lot=lot,
        bidder=bidder,
        placed_by=actor,
        maximum=maximum,
        price_after=outcome.price,
        leading_after=outcome.leader_id == bidder.pk,
        extended=extended,
    )
    if lot.bidder_maximum is None:
        BidderMaximum.objects.create(lot=lot, bidder=bidder, maximum=maximum, set_by_bid=bid)
    else:
        BidderMaximum.objects.filter(lot=lot, bidder=bidder).update(maximum=maximum, set_by_bid=bid)
    lot.current_price = outcome.price
    lot.leader_id = outcome.leader_id
    lot.leader_maximum = outcome.leader_maximum
    lot.bid_count += 1
    fields = ["current_price", "leader", "leader_maximum", "bid_count"]
    if extended:
        lot.ends_at = max(lot.ends_at, now + window)
        lot.extension_count += 1
        fields += ["ends_at", "extension_count"]
        LotEvent.objects.create(
            lot=lot, kind=LotEventKind.EXTENDED, detail={"ends_at": lot.ends_at.isoformat()}
        )
        _schedule_close(lot)
    lot.save(update_fields=fields)
    if outcome.leader_changed and old_leader_id is not None and old_leader_id != bidder.pk:
        _notify_outbid(lot=lot, organization_id=old_leader_id)
    return BidResult(
        bid=bid,
        leading=bid.leading_after,
        price=outcome.price,
        ends_at=lot.ends_at,
        extended=extended,
    )


def _notify_outbid(*, lot: Lot, organization_id: int) -> None:
    previous = BidderMaximum.objects.select_related("set_by_bid__placed_by").get(
        lot=lot, bidder_id=organization_id
    )
    user = previous.set_by_bid.placed_by
    if user is None:
        return
    notify_after_commit(
        users=[user],
        kind="trading.outbid",
        title=_("您的出价已被超过：%(title)s") % {"title": lot.listing.title},
        body=_("当前价 %(price)s。") % {"price": format_cny(lot.current_price)},
        url=lot_url(lot),
    )


# ---------------------------------------------------------------- closing


def lot_close(*, lot_id: int, now: dt.datetime | None = None) -> str | None:
    """Close a lot whose time is up; returns the outcome, or None if nothing was done
    (already closed, or extended: then the close is rescheduled)."""
    from payments import services as payments
    from trading.services.orders import order_create

    now = now or timezone.now()
    with transaction.atomic():
        lot = Lot.objects.select_for_update().select_related("listing").get(pk=lot_id)
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
        winner_qualification = None
        for qualification in BidderQualification.objects.select_for_update().filter(
            lot=lot, status__in=[QualificationStatus.ACTIVE, QualificationStatus.PENDING]
        ):
            if outcome == LotOutcome.SOLD and qualification.bidder_id == lot.leader_id:
                winner_qualification = qualification
                continue
            qualification.status = (
                QualificationStatus.RELEASED
                if qualification.status == QualificationStatus.ACTIVE
                else QualificationStatus.CANCELLED
            )
            qualification.save(update_fields=["status", "updated_at"])
            payments.deposit_release(qualification=qualification)
        if outcome == LotOutcome.SOLD:
            deposit = Decimal("0.00")
            if winner_qualification is not None:
                deposit = winner_qualification.deposit_amount
                winner_qualification.status = QualificationStatus.APPLIED
                winner_qualification.save(update_fields=["status", "updated_at"])
            order = order_create(
                listing=lot.listing,
                buyer=lot.leader,
                actor=None,
                channel=OrderChannel.AUCTION,
                price=lot.current_price,
                lot=lot,
                deposit_applied=deposit,
            )
            if winner_qualification is not None:
                payments.deposit_apply_to_order(qualification=winner_qualification, order=order)
        _notify_close(lot=lot, outcome=outcome)
    return outcome


def _notify_close(*, lot: Lot, outcome: str) -> None:
    title = lot.listing.title
    seller_users = organization_users(lot.listing.seller)
    if outcome == LotOutcome.NO_BIDS:
        notify_after_commit(
            users=seller_users,
            kind="trading.lot_no_bids",
            title=_("拍卖结束，无人出价：%(title)s") % {"title": title},
            url=lot_url(lot),
        )
        return
    bidders = BidderMaximum.objects.filter(lot=lot).select_related("set_by_bid__placed_by")
    if outcome == LotOutcome.WITHDRAWN:
        users = [m.set_by_bid.placed_by for m in bidders if m.set_by_bid.placed_by is not None]
        notify_after_commit(
            users=users,
            kind="trading.lot_cancelled",
            title=_("拍卖已取消，设备已不可售：%(title)s") % {"title": title},
            url=lot_url(lot),
        )
        return
    price = format_cny(lot.current_price)
    for maximum in bidders:
        user = maximum.set_by_bid.placed_by
        if user is None:
            continue
        if outcome == LotOutcome.RESERVE_NOT_MET:
            kind, text = "trading.reserve_not_met", _("拍卖结束，未达保留价：%(title)s")
        elif maximum.bidder_id == lot.leader_id:
            kind, text = "trading.won", _("恭喜，您已竞得：%(title)s")
        else:
            kind, text = "trading.lost", _("拍卖结束，您未竞得：%(title)s")
        notify_after_commit(
            users=[user],
            kind=kind,
            title=text % {"title": title},
            body=_("成交价 %(price)s。") % {"price": price},
            url=lot_url(lot),
        )
    seller_text = (
        _("拍卖成交：%(title)s")
        if outcome == LotOutcome.SOLD
        else _("拍卖结束，未达保留价：%(title)s")
    )
    kind = "trading.lot_sold" if outcome == LotOutcome.SOLD else "trading.reserve_not_met"
    notify_after_commit(
        users=seller_users,
        kind=kind,
        title=seller_text % {"title": title},
        body=_("最高价 %(price)s。") % {"price": price},
        url=lot_url(lot),
    )


def lots_close_due(*, now: dt.datetime | None = None) -> int:
    """Safety sweep: close every open lot past its end time."""
    now = now or timezone.now()
    due = Lot.objects.filter(status=LotStatus.OPEN, ends_at__lte=now).values_list("pk", flat=True)
    return sum(1 for lot_id in list(due) if lot_close(lot_id=lot_id, now=now))
