"""Offers: the buyer offers, the seller accepts, declines or counters; the buyer accepts or
declines a counter; open offers expire.

Transitions (OFFER_TRANSITIONS): open → countered | accepted | declined | expired | withdrawn;
countered → accepted | declined | expired | withdrawn. Accepting creates the order under the
listing lock, so an acceptance racing a buy-now sells the machine once.
"""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.permissions import Permission, has_org_permission, require_org_permission
from core.errors import ConflictError, DomainError
from core.money import format_cny, quantize_money
from marketplace.lock_objects import listing_lock
from marketplace.models import Listing, ListingStatus, Machine, SaleFormat
from marketplace.sellability import require_listing_sellable
from trading.errors import TradingErrorCode as Code
from trading.lock_objects import offer_lock
from trading.models import Offer, OfferEvent, OfferEventKind, OfferStatus, Order, OrderChannel
from trading.rules import current_rules
from trading.services.common import notify_after_commit, organization_users, require_buyer
from trading.services.orders import order_create

S = OfferStatus
EVENT_KIND = {
    S.COUNTERED: OfferEventKind.COUNTERED,
    S.ACCEPTED: OfferEventKind.ACCEPTED,
    S.DECLINED: OfferEventKind.DECLINED,
    S.EXPIRED: OfferEventKind.EXPIRED,
    S.WITHDRAWN: OfferEventKind.WITHDRAWN,
}
OFFER_TRANSITIONS: dict[str, set[str]] = {
    S.OPEN: {S.COUNTERED, S.ACCEPTED, S.DECLINED, S.EXPIRED, S.WITHDRAWN},
    S.COUNTERED: {S.ACCEPTED, S.DECLINED, S.EXPIRED, S.WITHDRAWN},
    S.ACCEPTED: set(),
    S.DECLINED: set(),
    S.EXPIRED: set(),
    S.WITHDRAWN: set(),
}


def _offer_url() -> str:
    return reverse("trading:offer_list")


def _expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=current_rules().offer_hours)


def _validate_amount(amount: Decimal, field: str = "amount") -> Decimal:
    amount = quantize_money(amount)
    if amount <= 0:
        message = _("金额必须大于零。")
        raise DomainError(message, code=Code.INVALID_AMOUNT, fields={field: [message]})
    return amount


def seller_can_answer(user: User | None, offer: Offer) -> bool:
    return offer.status == S.OPEN and has_org_permission(
        user, offer.listing.seller, Permission.TRADE_SELL
    )


def buyer_can_answer(user: User | None, offer: Offer) -> bool:
    return offer.status == S.COUNTERED and has_org_permission(
        user, offer.buyer, Permission.TRADE_BUY
    )


def _transition(
    *, offer: Offer, to_status: str, actor: User | None, amount=None, fields=()
) -> Offer:
    if to_status not in OFFER_TRANSITIONS[offer.status]:
        raise ConflictError(
            _("议价状态不能从“%(src)s”变为“%(dst)s”。")
            % {"src": offer.get_status_display(), "dst": OfferStatus(to_status).label},
            code=Code.INVALID_TRANSITION,
        )
    from_status = offer.status
    offer.status = to_status
    offer.save(update_fields=["status", "updated_at", *fields])
    OfferEvent.objects.create(
        offer=offer,
        kind=EVENT_KIND[to_status],
        from_status=from_status,
        to_status=to_status,
        amount=amount,
        actor=actor,
    )
    return offer


def _lock(offer: Offer) -> Offer:
    return offer_lock(offer.pk, related=("listing", "listing__seller", "buyer"))


def _check_live(offer: Offer) -> None:
    if offer.expires_at <= timezone.now() and offer.status in (S.OPEN, S.COUNTERED):
        raise ConflictError(_("该议价已过期。"), code=Code.OFFER_EXPIRED)


def _check_offer_minimum(amount: Decimal, asking_price: Decimal) -> None:
    """The published minimum offer (a share of the asking price, trading.rules)."""
    rules = current_rules()
    minimum = rules.minimum_offer_for(asking_price)
    if amount < minimum:
        message = _("出价不能低于标价的 %(share)s，即 %(amount)s。") % {
            "share": rules.percent(rules.offer_minimum_share),
            "amount": format_cny(minimum),
        }
        raise DomainError(message, code=Code.OFFER_TOO_LOW, fields={"amount": [message]})


def _check_counter_ceiling(amount: Decimal, asking_price: Decimal | None) -> None:
    if asking_price is not None and amount > asking_price:
        message = _("还价不能高于标价 %(amount)s。") % {"amount": format_cny(asking_price)}
        raise DomainError(
            message, code=Code.COUNTER_ABOVE_PRICE, fields={"counter_amount": [message]}
        )


def offer_make(
    *, listing: Listing, buyer: Organization, actor: User, amount: Decimal, message: str = ""
) -> Offer:
    amount = _validate_amount(amount)
    listing = Listing.objects.select_related("seller").get(pk=listing.pk)
    require_buyer(actor=actor, buyer=buyer, seller=listing.seller)
    if listing.sale_format == SaleFormat.AUCTION or listing.asking_price is None:
        raise DomainError(_("该设备不接受议价。"), code=Code.OFFERS_NOT_ACCEPTED)
    if amount >= listing.asking_price:
        message_text = _("出价不低于标价，请直接立即购买。")
        raise DomainError(
            message_text, code=Code.OFFER_NOT_BELOW_PRICE, fields={"amount": [message_text]}
        )
    _check_offer_minimum(amount, listing.asking_price)
    with transaction.atomic():
        locked = listing_lock(listing.pk)
        require_listing_sellable(locked, machine=Machine.objects.get(pk=locked.machine_id))
        if locked.status != ListingStatus.PUBLISHED:
            raise ConflictError(_("该设备已被预订或已下架。"), code=Code.LISTING_NOT_AVAILABLE)
        try:
            with transaction.atomic():
                offer = Offer.objects.create(
                    listing=locked,
                    buyer=buyer,
                    made_by=actor,
                    amount=amount,
                    currency=locked.currency,
                    message=message[:300],
                    expires_at=_expiry(),
                )
        except IntegrityError as exc:
            raise ConflictError(
                _("您对该设备已有一个未结束的议价。"), code=Code.OFFER_EXISTS
            ) from exc
        OfferEvent.objects.create(
            offer=offer,
            kind=OfferEventKind.MADE,
            from_status="",
            to_status=S.OPEN,
            amount=amount,
            actor=actor,
        )
        notify_after_commit(
            users=organization_users(listing.seller),
            kind="trading.offer_received",
            title=lambda: _("收到新的议价：%(title)s") % {"title": listing.display_title},
            body=lambda: _("买家出价 %(amount)s。") % {"amount": format_cny(amount)},
            url=_offer_url(),
        )
    return offer


def offer_counter(*, offer: Offer, actor: User, amount: Decimal) -> Offer:
    amount = _validate_amount(amount, "counter_amount")
    with transaction.atomic():
        offer = _lock(offer)
        require_org_permission(actor, offer.listing.seller, Permission.TRADE_SELL)
        _check_live(offer)
        if amount <= offer.amount:
            message = _("还价必须高于买家出价。")
            raise DomainError(
                message, code=Code.COUNTER_TOO_LOW, fields={"counter_amount": [message]}
            )
        _check_counter_ceiling(amount, offer.listing.asking_price)
        offer.counter_amount = amount
        offer.expires_at = _expiry()
        offer = _transition(
            offer=offer,
            to_status=S.COUNTERED,
            actor=actor,
            amount=amount,
            fields=["counter_amount", "expires_at"],
        )
        notify_after_commit(
            users=organization_users(offer.buyer),
            kind="trading.offer_countered",
            title=lambda: _("卖家还价：%(title)s") % {"title": offer.listing.display_title},
            body=lambda: _("还价 %(amount)s。") % {"amount": format_cny(amount)},
            url=_offer_url(),
        )
    return offer


def offer_accept(*, offer: Offer, actor: User) -> Order:
    """The seller accepts an open offer, or the buyer accepts a counter; an order follows."""
    with transaction.atomic():
        # Lock order (trading.lock_objects): the offer, then its listing.
        offer = _lock(offer)
        listing = listing_lock(offer.listing_id)
        if offer.status == S.OPEN:
            require_org_permission(actor, offer.listing.seller, Permission.TRADE_SELL)
            notify_org = offer.buyer
        elif offer.status == S.COUNTERED:
            require_org_permission(actor, offer.buyer, Permission.TRADE_BUY)
            notify_org = offer.listing.seller
        else:
            raise ConflictError(_("该议价已结束。"), code=Code.OFFER_CLOSED)
        _check_live(offer)
        require_listing_sellable(listing, machine=Machine.objects.get(pk=listing.machine_id))
        price = offer.agreed_amount
        _transition(offer=offer, to_status=S.ACCEPTED, actor=actor, amount=price)
        order = order_create(
            listing=offer.listing,
            buyer=offer.buyer,
            actor=actor,
            channel=OrderChannel.OFFER,
            price=price,
            offer=offer,
        )
        notify_after_commit(
            users=organization_users(notify_org),
            kind="trading.offer_accepted",
            title=lambda: _("议价已成交：%(title)s") % {"title": offer.listing.display_title},
            body=lambda: _("成交价 %(amount)s。") % {"amount": format_cny(price)},
            url=reverse("trading:order_detail", args=[order.pk]),
        )
    return order


def offer_decline(*, offer: Offer, actor: User) -> Offer:
    with transaction.atomic():
        offer = _lock(offer)
        if offer.status == S.OPEN:
            require_org_permission(actor, offer.listing.seller, Permission.TRADE_SELL)
            notify_org = offer.buyer
        elif offer.status == S.COUNTERED:
            require_org_permission(actor, offer.buyer, Permission.TRADE_BUY)
            notify_org = offer.listing.seller
        else:
            raise ConflictError(_("该议价已结束。"), code=Code.OFFER_CLOSED)
        offer = _transition(offer=offer, to_status=S.DECLINED, actor=actor)
        notify_after_commit(
            users=organization_users(notify_org),
            kind="trading.offer_declined",
            title=lambda: _("议价被拒绝：%(title)s") % {"title": offer.listing.display_title},
            url=_offer_url(),
        )
    return offer


def offer_expire(*, offer: Offer) -> Offer:
    with transaction.atomic():
        offer = _lock(offer)
        if offer.status not in (S.OPEN, S.COUNTERED) or offer.expires_at > timezone.now():
            return offer
        return _transition(offer=offer, to_status=S.EXPIRED, actor=None)


def offers_expire_due() -> int:
    due = Offer.objects.filter(status__in=[S.OPEN, S.COUNTERED], expires_at__lte=timezone.now())
    return sum(1 for offer in due.only("id") if offer_expire(offer=offer).status == S.EXPIRED)


def buyer_can_withdraw(user: User | None, offer: Offer) -> bool:
    return offer.status in (S.OPEN, S.COUNTERED) and has_org_permission(
        user, offer.buyer, Permission.TRADE_BUY
    )


def offer_withdraw(*, offer: Offer, actor: User) -> Offer:
    """The buyer takes back an offer still waiting for an answer (open, or countered by the
    seller); the seller is told. An accepted, declined or expired offer stays as it is."""
    with transaction.atomic():
        offer = _lock(offer)
        require_org_permission(actor, offer.buyer, Permission.TRADE_BUY)
        if offer.status not in (S.OPEN, S.COUNTERED):
            raise ConflictError(_("该议价已结束，不能撤回。"), code=Code.OFFER_CLOSED)
        _check_live(offer)
        offer = _transition(offer=offer, to_status=S.WITHDRAWN, actor=actor)
        notify_after_commit(
            users=organization_users(offer.listing.seller),
            kind="trading.offer_withdrawn",
            title=lambda: _("买家撤回了议价：%(title)s") % {"title": offer.listing.display_title},
            body=lambda: (
                _("%(buyer)s 撤回了 %(amount)s 的出价。")
                % {"buyer": offer.buyer.name, "amount": format_cny(offer.amount)}
            ),
            url=_offer_url(),
        )
    return offer
