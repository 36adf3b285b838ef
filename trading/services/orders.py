"""Orders: created by a buy-now, an accepted offer or an auction win; paid by card or bank
transfer; defaulted when unpaid by the deadline.

Transitions (ORDER_TRANSITIONS): awaiting_payment → paid | defaulted | cancelled.
Creating an order reserves the listing in the same transaction; the listing row lock and the
``order_one_active_per_listing`` constraint make sure a listing sells once.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Organization, User
from accounts.permissions import (
    Permission,
    has_org_permission,
    is_platform_staff,
    require_org_permission,
)
from core.errors import ConflictError, DomainError, PermissionDeniedError
from core.money import format_cny, quantize_money
from marketplace.lock_objects import listing_lock
from marketplace.models import Listing, ListingStatus, Machine
from marketplace.sale_records import SALE_CHANNEL_BY_FORMAT
from marketplace.sellability import require_listing_sellable
from marketplace.services import listing_mark_sold, listing_release, listing_reserve
from payments.methods import charge_limit
from payments.models import STRIPE_RAILS
from payments.references import bank_reference_new
from payments.selectors import order_amount_paid
from trading.errors import TradingErrorCode as Code
from trading.lock_objects import order_lock, qualifications_lock
from trading.models import (
    Lot,
    Offer,
    Order,
    OrderChannel,
    OrderEvent,
    OrderEventKind,
    OrderStatus,
    PaymentRail,
    QualificationStatus,
    SellerPayout,
)
from trading.payment_notice import order_payment_notice
from trading.rules import current_rules
from trading.services.common import (
    listing_text,
    notify_after_commit,
    organization_users,
    require_buyer,
)
from trading.services.qualifications import qualification_forfeit_for_default

S = OrderStatus
ORDER_TRANSITIONS: dict[str, set[str]] = {
    S.AWAITING_PAYMENT: {S.PAID, S.DEFAULTED, S.CANCELLED},
    S.PAID: set(),
    S.DEFAULTED: set(),
    S.CANCELLED: set(),
}

# Order channels share the listing sale formats' values: one map (marketplace.sale_records).
SALE_CHANNEL = SALE_CHANNEL_BY_FORMAT


@dataclass(frozen=True)
class OrderQuote:
    """The all-in price shown before the buyer commits."""

    price: Decimal
    buyer_fee: Decimal
    fee_vat: Decimal
    total: Decimal
    deposit_applied: Decimal
    amount_due: Decimal
    payment_deadline: dt.datetime
    card_allowed: bool


def order_quote(*, price: Decimal, deposit_applied: Decimal = Decimal("0"), now=None) -> OrderQuote:
    rules = current_rules()
    price = quantize_money(price)
    fee = rules.buyer_fee_for(price)
    vat = rules.fee_vat_for(fee)
    total = price + fee + vat
    deposit = min(quantize_money(deposit_applied), total)
    due = total - deposit
    deadline = (now or timezone.now()) + dt.timedelta(days=rules.payment_days)
    return OrderQuote(
        price=price,
        buyer_fee=fee,
        fee_vat=vat,
        total=total,
        deposit_applied=deposit,
        amount_due=due,
        payment_deadline=deadline,
        card_allowed=due <= rules.card_charge_limit,
    )


def can_transition(order: Order, to_status: str) -> bool:
    return to_status in ORDER_TRANSITIONS[order.status]


def order_url(order: Order) -> str:
    return reverse("trading:order_detail", args=[order.pk])


def order_create(
    *,
    listing: Listing,
    buyer: Organization,
    actor: User | None,
    channel: str,
    price: Decimal,
    offer: Offer | None = None,
    lot: Lot | None = None,
    deposit_applied: Decimal = Decimal("0"),
) -> Order:
    """Reserve the listing and open an order. Callers hold the listing lock (or take it here)."""
    with transaction.atomic():
        locked = listing_lock(listing.pk)
        require_listing_sellable(locked, machine=Machine.objects.get(pk=locked.machine_id))
        if locked.status != ListingStatus.PUBLISHED:
            raise ConflictError(_("该设备已被预订或已下架。"), code=Code.LISTING_NOT_AVAILABLE)
        quote = order_quote(price=price, deposit_applied=deposit_applied)
        listing_reserve(listing=locked, actor=actor, reason=f"order ({channel})")
        try:
            with transaction.atomic():
                order = Order.objects.create(
                    listing=locked,
                    buyer=buyer,
                    seller_id=locked.seller_id,
                    created_by=actor,
                    channel=channel,
                    offer=offer,
                    lot=lot,
                    price=quote.price,
                    buyer_fee=quote.buyer_fee,
                    fee_vat=quote.fee_vat,
                    total=quote.total,
                    deposit_applied=quote.deposit_applied,
                    amount_due=quote.amount_due,
                    currency=locked.currency,
                    bank_reference=bank_reference_new(),
                    payment_deadline=quote.payment_deadline,
                    is_simulated=locked.is_simulated,
                )
        except IntegrityError as exc:
            raise ConflictError(_("该设备已有进行中的订单。"), code=Code.ORDER_EXISTS) from exc
        OrderEvent.objects.create(
            order=order, kind=OrderEventKind.CREATED, to_status=order.status, actor=actor
        )
        notify_after_commit(
            users=organization_users(buyer),
            kind="trading.payment_due",
            title=lambda: _("请在截止时间前付款：%(title)s") % {"title": locked.display_title},
            body=lambda: payment_due_text(order),
            url=order_url(order),
        )
        if order.amount_due == 0:
            order = order_mark_paid(order=order, actor=actor)
    return order


def transfer_details_text(order: Order) -> str:
    """How to pay by bank transfer, as lines of plain text for messages and e-mails: the
    escrow account, the reference, and a warning while the account is the demo default."""
    notice = order_payment_notice(order)
    escrow = notice.escrow
    lines = [
        _("对公转账请汇至平台监管账户："),
        _("开户银行：%(bank)s") % {"bank": escrow.bank},
        _("开户支行：%(branch)s") % {"branch": escrow.branch},
        _("户名：%(name)s") % {"name": escrow.account_name},
        _("账号：%(number)s") % {"number": escrow.account_number},
        _("转账附言（必填）：%(reference)s") % {"reference": notice.reference},
    ]
    if escrow.is_demo:
        lines.append(_("注意：以上为演示账户，请勿向其转账。"))
    return "\n".join(lines)


def payment_due_text(order: Order) -> str:
    """The payment-due message (in-app and e-mail): amount, deadline and how to transfer."""
    notice = order_payment_notice(order)
    first = _("应付金额 %(due)s，截止 %(deadline)s（北京时间）。") % {
        "due": format_cny(notice.amount),
        "deadline": notice.deadline_text,
    }
    return f"{first}\n{transfer_details_text(order)}"


def _deadline_text(order: Order) -> str:
    return timezone.localtime(order.payment_deadline).strftime("%Y-%m-%d %H:%M")


def _reminder_text(order: Order, outstanding: Decimal) -> str:
    first = _("尚需支付 %(due)s，截止 %(deadline)s；逾期将按公开规则违约处理。") % {
        "due": format_cny(outstanding),
        "deadline": _deadline_text(order),
    }
    return f"{first}\n{transfer_details_text(order)}"


def _abandoned_text(listing, days: int) -> str:
    return _("付款后 %(days)s 天未提货，视为放弃：%(title)s") % {
        "title": listing.display_title,
        "days": days,
    }


EVENT_KIND = {
    S.PAID: OrderEventKind.PAID,
    S.DEFAULTED: OrderEventKind.DEFAULTED,
    S.CANCELLED: OrderEventKind.CANCELLED,
}


def _transition(
    *, order: Order, to_status: str, actor: User | None, note: str = "", fields=()
) -> Order:
    """Check the table, save with ``update_fields``, write the typed event. The caller
    holds the order's lock (``order_lock``) and has set the ``fields`` it names."""
    if not can_transition(order, to_status):
        raise ConflictError(
            _("订单状态不能从“%(src)s”变为“%(dst)s”。")
            % {"src": order.get_status_display(), "dst": OrderStatus(to_status).label},
            code=Code.INVALID_TRANSITION,
        )
    from_status = order.status
    order.status = to_status
    order.save(update_fields=["status", "updated_at", *fields])
    OrderEvent.objects.create(
        order=order,
        kind=EVENT_KIND[to_status],
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        note=note,
    )
    return order


def may_pay(user: User | None, order: Order) -> bool:
    """Only the buyer organization's buying staff pay an order (the seller sees status only;
    ``order_choose_rail`` applies the same rule to every payment)."""
    return has_org_permission(user, order.buyer, Permission.TRADE_BUY)


def order_choose_rail(*, order: Order, actor: User, rail: str) -> Order:
    require_org_permission(actor, order.buyer, Permission.TRADE_BUY)
    with transaction.atomic():
        order = order_lock(order.pk)
        if order.status != OrderStatus.AWAITING_PAYMENT:
            raise ConflictError(_("该订单不在待付款状态。"), code=Code.ORDER_NOT_PAYABLE)
        if rail in STRIPE_RAILS and order.amount_due > charge_limit(rail):
            message = (
                _("金额超过银行卡单笔上限，请使用对公转账。")
                if rail == PaymentRail.CARD
                else _("金额超过%(method)s单笔上限 %(limit)s，请使用对公转账。")
                % {"method": PaymentRail(rail).label, "limit": format_cny(charge_limit(rail))}
            )
            raise DomainError(message, code=Code.CARD_LIMIT_EXCEEDED)
        order.payment_rail = rail
        order.save(update_fields=["payment_rail", "updated_at"])
    return order


def order_mark_paid(*, order: Order, actor: User | None) -> Order:
    """Paid in full: release to the buyer, record the seller payout and the sale."""
    with transaction.atomic():
        order = order_lock(order.pk, related=("listing",))
        if order.status == OrderStatus.PAID:
            return order
        return _mark_paid_locked(order=order, actor=actor)


def _mark_paid_locked(*, order: Order, actor: User | None) -> Order:
    """Order locked (with its listing fetched): paid, the sale closed in the marketplace
    (which locks the listing, then the machine), the seller payout recorded."""
    order.paid_at = timezone.now()
    order = _transition(order=order, to_status=S.PAID, actor=actor, fields=["paid_at"])
    listing_mark_sold(
        listing=order.listing,
        price=order.price,
        channel=SALE_CHANNEL[order.channel],
        buyer=order.buyer,
        actor=actor,
    )
    rules = current_rules()
    commission = rules.seller_commission_for(order.price)
    fees = min(rules.payout_fee, order.price - commission)
    SellerPayout.objects.create(
        order=order,
        seller=order.seller,
        gross=order.price,
        commission=commission,
        fees=fees,
        amount=order.price - commission - fees,
        currency=order.currency,
    )
    for org, message in (
        (order.buyer, gettext_noop("付款已确认，设备已放行：%(title)s")),
        (order.seller, gettext_noop("买家已付款，请安排交付：%(title)s")),
    ):
        notify_after_commit(
            users=organization_users(org),
            kind="trading.payment_received",
            title=partial(listing_text, message, order.listing),
            url=order_url(order),
        )
    return order


def order_payment_received(*, order: Order, actor: User | None) -> Order:
    """A payment for the order succeeded. Called by the order payment kind
    (trading.payment_kinds) inside the payment's transaction with ``order`` locked: paid in
    full, the order is marked paid and the sale closed."""
    if order.status != OrderStatus.AWAITING_PAYMENT:
        return order
    if order_amount_paid(order=order) >= order.amount_due:
        return _mark_paid_locked(order=order, actor=actor)
    return order


def order_default(*, order: Order, now: dt.datetime | None = None) -> Order:
    """Unpaid by the deadline: forfeit the deposit per the rules and put the listing back.

    Lock order: the winner's applied qualification (an auction order) before the order."""
    now = now or timezone.now()
    with transaction.atomic():
        qualification = _applied_qualification_lock(order)
        order = order_lock(order.pk, related=("listing",))
        if order.status != OrderStatus.AWAITING_PAYMENT or order.payment_deadline > now:
            return order
        rules = current_rules()
        order.forfeited_amount = rules.default_forfeit_for(order.price, order.deposit_applied)
        order.refund_due = order.deposit_applied - order.forfeited_amount
        order = _transition(
            order=order,
            to_status=S.DEFAULTED,
            actor=None,
            note="payment deadline passed",
            fields=["forfeited_amount", "refund_due"],
        )
        listing_release(listing=order.listing, actor=None, reason="order defaulted")
        if order.deposit_applied > 0 and qualification is not None:
            qualification_forfeit_for_default(qualification=qualification, order=order)
        notify_after_commit(
            users=organization_users(order.buyer),
            kind="trading.payment_overdue",
            title=partial(
                listing_text, gettext_noop("订单逾期未付款，已按规则处理：%(title)s"), order.listing
            ),
            body=lambda: (
                _("罚没保证金 %(forfeit)s，退还 %(refund)s。")
                % {
                    "forfeit": format_cny(order.forfeited_amount),
                    "refund": format_cny(order.refund_due),
                }
            ),
            url=order_url(order),
        )
        notify_after_commit(
            users=organization_users(order.seller),
            kind="trading.payment_overdue",
            title=partial(
                listing_text,
                gettext_noop("买家逾期未付款，设备已重新上架：%(title)s"),
                order.listing,
            ),
            url=order_url(order),
        )
    return order


def _applied_qualification_lock(order: Order):
    """The buyer's qualification whose deposit paid for this auction order, locked."""
    if order.lot_id is None:
        return None
    return qualifications_lock(
        lot_id=order.lot_id, bidder_id=order.buyer_id, status=QualificationStatus.APPLIED
    ).first()


PAYMENT_REMINDER_BEFORE = dt.timedelta(hours=24)


def orders_remind_due(*, now: dt.datetime | None = None) -> int:
    """Remind the buyer of every unpaid order whose deadline is less than a day away, once:
    what is still outstanding and when the order defaults."""
    now = now or timezone.now()
    due = Order.objects.filter(
        status=OrderStatus.AWAITING_PAYMENT,
        payment_reminded_at__isnull=True,
        payment_deadline__gt=now,
        payment_deadline__lte=now + PAYMENT_REMINDER_BEFORE,
    ).select_related("listing", "buyer")
    sent = 0
    for order in due:
        with transaction.atomic():
            # Claim the reminder first: a second sweep running at the same time updates nothing.
            claimed = Order.objects.filter(pk=order.pk, payment_reminded_at__isnull=True).update(
                payment_reminded_at=now
            )
            if not claimed:
                continue
            outstanding = max(order.amount_due - order_amount_paid(order=order), Decimal("0.00"))
            if outstanding == 0:
                continue
            notify_after_commit(
                users=organization_users(order.buyer),
                kind="trading.payment_reminder",
                title=partial(listing_text, gettext_noop("付款提醒：%(title)s"), order.listing),
                body=partial(_reminder_text, order, outstanding),
                url=order_url(order),
            )
            sent += 1
    return sent


def orders_default_overdue(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    due = Order.objects.filter(status=OrderStatus.AWAITING_PAYMENT, payment_deadline__lte=now)
    count = 0
    for order in due.only("id"):
        if order_default(order=order, now=now).status == OrderStatus.DEFAULTED:
            count += 1
    return count


def buy_now(*, listing: Listing, buyer: Organization, actor: User) -> Order:
    """Buy at the asking price. Race-safe through the listing lock taken in order_create.

    A machine that cannot be sold (encumbered, scrapped, reserved, sold) is refused here,
    before any order or payment exists."""
    listing = Listing.objects.select_related("seller", "machine").get(pk=listing.pk)
    require_buyer(actor=actor, buyer=buyer, seller=listing.seller)
    require_listing_sellable(listing)
    if listing.asking_price is None or listing.sale_format == "auction":
        raise DomainError(_("该设备不支持一口价购买。"), code=Code.BUY_NOW_UNAVAILABLE)
    return order_create(
        listing=listing,
        buyer=buyer,
        actor=actor,
        channel=OrderChannel.FIXED,
        price=listing.asking_price,
    )


# --- after payment: collection, storage, abandonment ----------------------------------------


def may_confirm_collection(user: User | None, order: Order) -> bool:
    """The seller's selling staff or platform staff confirm collections."""
    return is_platform_staff(user) or has_org_permission(user, order.seller, Permission.TRADE_SELL)


def awaits_collection(order: Order) -> bool:
    return (
        order.status == OrderStatus.PAID
        and order.collected_at is None
        and order.abandoned_at is None
    )


def order_mark_collected(*, order: Order, actor: User) -> Order:
    """The seller (or platform staff) confirms the buyer collected the machine. The storage
    fee accrued under the published rules up to today is recorded on the order."""
    if not may_confirm_collection(actor, order):
        raise PermissionDeniedError(_("只有卖方或平台人员可以确认提货。"))
    with transaction.atomic():
        order = order_lock(order.pk, related=("listing",))
        if order.status != OrderStatus.PAID:
            raise ConflictError(_("订单付款后才能提货。"), code=Code.NOT_PAID)
        if not awaits_collection(order):
            raise ConflictError(_("该订单的提货已登记或已视为放弃。"), code=Code.ALREADY_CLOSED)
        now = timezone.now()
        rules = current_rules()
        order.collected_at = now
        order.storage_fee = rules.storage_fee_for(
            timezone.localdate(order.paid_at), timezone.localdate(now)
        )
        order.save(update_fields=["collected_at", "storage_fee", "updated_at"])
        OrderEvent.objects.create(
            order=order,
            kind=OrderEventKind.COLLECTED,
            from_status=order.status,
            to_status=order.status,
            actor=actor,
            note=f"storage fee {order.storage_fee}",
        )
        notify_after_commit(
            users=organization_users(order.buyer),
            kind="trading.collected",
            title=lambda: _("已确认提货：%(title)s") % {"title": order.listing.display_title},
            body=lambda: _("保管费 %(fee)s。") % {"fee": format_cny(order.storage_fee)},
            url=order_url(order),
        )
    return order


def orders_abandon_due(*, now: dt.datetime | None = None) -> int:
    """Paid orders not collected within the published period count as abandoned: both sides
    are told once (the seller may then dispose of the machine)."""
    now = now or timezone.now()
    rules = current_rules()
    paid_before = now - dt.timedelta(days=rules.abandon_after_days)
    due = Order.objects.filter(
        status=OrderStatus.PAID,
        collected_at__isnull=True,
        abandoned_at__isnull=True,
        paid_at__lte=paid_before,
    ).select_related("listing", "buyer", "seller")
    count = 0
    for order in due:
        with transaction.atomic():
            claimed = Order.objects.filter(
                pk=order.pk, collected_at__isnull=True, abandoned_at__isnull=True
            ).update(abandoned_at=now)
            if not claimed:
                continue
            OrderEvent.objects.create(
                order=order,
                kind=OrderEventKind.ABANDONED,
                from_status=order.status,
                to_status=order.status,
                note="abandoned",
            )
            title = partial(_abandoned_text, order.listing, rules.abandon_after_days)
            for organization in (order.buyer, order.seller):
                notify_after_commit(
                    users=organization_users(organization),
                    kind="trading.abandoned",
                    title=title,
                    url=order_url(order),
                )
            count += 1
    return count
