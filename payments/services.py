"""Payments on two rails: Stripe card PaymentIntents and bank transfers reconciled by staff.

Payment status transitions (PAYMENT_TRANSITIONS): pending → authorized | succeeded |
cancelled | failed; authorized → succeeded | cancelled; failed → pending (a retry). Stripe
is called outside database transactions (a row is committed first, the intent id saved
after), so a webhook can arrive before the intent id is stored: the event carries our payment
id in its metadata, and an event that finds no payment is kept as ``deferred`` and retried.
"""

import json
import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_platform_staff
from core.errors import ConflictError, DomainError, NotFoundError
from core.money import (
    MONEY_DECIMAL_PLACES,
    MONEY_MAX_DIGITS,
    format_cny,
    from_minor_units,
    quantize_money,
    to_minor_units,
)
from payments import stripe_gateway
from payments.models import (
    DepositEntry,
    DepositEntryKind,
    Payment,
    PaymentPurpose,
    PaymentRailChoice,
    PaymentStatus,
    WebhookEvent,
    WebhookEventStatus,
    WebhookRejectReason,
)

logger = logging.getLogger(__name__)

P = PaymentStatus
PAYMENT_TRANSITIONS: dict[str, set[str]] = {
    P.PENDING: {P.AUTHORIZED, P.SUCCEEDED, P.CANCELLED, P.FAILED},
    P.AUTHORIZED: {P.SUCCEEDED, P.CANCELLED},
    P.FAILED: {P.PENDING, P.AUTHORIZED, P.SUCCEEDED, P.CANCELLED},
    P.SUCCEEDED: set(),
    P.CANCELLED: set(),
}
STRIPE_STATUS = {
    "requires_capture": P.AUTHORIZED,
    "succeeded": P.SUCCEEDED,
    "canceled": P.CANCELLED,
    "requires_payment_method": P.PENDING,
    "requires_confirmation": P.PENDING,
    "requires_action": P.PENDING,
    "processing": P.PENDING,
}


def card_enabled() -> bool:
    return stripe_gateway.is_enabled()


# ---------------------------------------------------------------- state changes


def _on_status_reached(payment: Payment) -> None:
    """Tell the trading app what the money now allows (same transaction)."""
    from trading.services.auctions import qualification_activate
    from trading.services.orders import order_payment_received

    if payment.purpose == PaymentPurpose.DEPOSIT and payment.status in (P.AUTHORIZED, P.SUCCEEDED):
        if payment.qualification.status == "pending":
            qualification_activate(qualification=payment.qualification)
    elif payment.purpose == PaymentPurpose.ORDER and payment.status == P.SUCCEEDED:
        order_payment_received(order=payment.order, actor=payment.confirmed_by)


def payment_set_status(
    *, payment: Payment, status: str, captured: Decimal | None = None, error: str = ""
) -> Payment:
    """Move a payment forward; stale or repeated news (a replay, an older event) is ignored."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if status == payment.status or status not in PAYMENT_TRANSITIONS[payment.status]:
            return payment
        payment.status = status
        fields = ["status", "updated_at"]
        if status == P.SUCCEEDED:
            payment.captured_amount = captured if captured is not None else payment.amount
            fields.append("captured_amount")
        if error:
            payment.error = error
            fields.append("error")
        payment.save(update_fields=fields)
        _on_status_reached(payment)
    return payment


# ---------------------------------------------------------------- card rail


def _card_start(*, payment: Payment, manual_capture: bool, payment_method: str) -> Payment:
    try:
        result = stripe_gateway.payment_intent_create(
            amount=payment.amount,
            currency=payment.currency,
            manual_capture=manual_capture,
            metadata={"payment_id": str(payment.pk), "purpose": payment.purpose},
            idempotency_key=f"ironloop-payment-{payment.pk}",
            payment_method=payment_method,
        )
    except stripe_gateway.GatewayError as exc:
        payment_set_status(payment=payment, status=P.FAILED, error=exc.message)
        raise
    Payment.objects.filter(pk=payment.pk).update(
        stripe_payment_intent_id=result.id,
        client_secret=result.client_secret,
        updated_at=timezone.now(),
    )
    payment.refresh_from_db()
    payment = payment_set_status(
        payment=payment,
        status=STRIPE_STATUS.get(result.status, P.PENDING),
        captured=result.amount_received,
    )
    webhook_events_retry(intent_id=result.id)
    return payment


def deposit_card_hold(*, qualification, payment_method: str = "") -> Payment:
    """An authorisation hold (manual capture) for the bidder's deposit."""
    payment = Payment.objects.create(
        purpose=PaymentPurpose.DEPOSIT,
        rail=PaymentRailChoice.CARD,
        qualification=qualification,
        amount=qualification.deposit_amount,
        currency=qualification.currency,
    )
    return _card_start(payment=payment, manual_capture=True, payment_method=payment_method)


def order_card_pay(*, order, actor: User, payment_method: str = "") -> Payment:
    """Start (or reuse) a card PaymentIntent for the amount due on an order."""
    from trading.services.orders import order_choose_rail

    order = order_choose_rail(order=order, actor=actor, rail=PaymentRailChoice.CARD)
    if not card_enabled():
        raise DomainError(_("暂未开通银行卡支付，请使用对公转账。"), code="card_unavailable")
    existing = Payment.objects.filter(
        order=order, rail=PaymentRailChoice.CARD, purpose=PaymentPurpose.ORDER, status=P.PENDING
    ).first()
    if existing is not None and existing.stripe_payment_intent_id and not payment_method:
        return existing
    payment = Payment.objects.create(
        purpose=PaymentPurpose.ORDER,
        rail=PaymentRailChoice.CARD,
        order=order,
        amount=order.amount_due,
        currency=order.currency,
    )
    return _card_start(payment=payment, manual_capture=False, payment_method=payment_method)


def _after_commit_safely(function, **kwargs) -> None:
    def run() -> None:
        try:
            function(**kwargs)
        except DomainError as exc:
            logger.warning("payment follow-up %s failed: %s", function.__name__, exc)
            Payment.objects.filter(pk=kwargs["payment_id"]).update(error=str(exc))

    transaction.on_commit(run)


def _cancel_hold(*, payment_id: int) -> None:
    payment = Payment.objects.get(pk=payment_id)
    result = stripe_gateway.payment_intent_cancel(
        intent_id=payment.stripe_payment_intent_id, currency=payment.currency
    )
    payment_set_status(payment=payment, status=STRIPE_STATUS.get(result.status, P.CANCELLED))


def _capture_hold(*, payment_id: int, amount: Decimal) -> None:
    """Capture ``amount`` of a hold (what the order uses); Stripe releases the rest."""
    payment = Payment.objects.get(pk=payment_id)
    result = stripe_gateway.payment_intent_capture(
        intent_id=payment.stripe_payment_intent_id, amount=amount, currency=payment.currency
    )
    payment_set_status(
        payment=payment,
        status=STRIPE_STATUS.get(result.status, P.PENDING),
        captured=result.amount_received,
    )


def _refund(*, payment_id: int, entry_id: int) -> None:
    """Pay a card deposit's ``refund_due`` entry back through Stripe and record it."""
    from payments.selectors import refund_due

    payment = Payment.objects.get(pk=payment_id)
    due = refund_due(payment)
    if due is None:
        return
    stripe_gateway.refund_create(
        intent_id=payment.stripe_payment_intent_id,
        amount=due.amount,
        currency=payment.currency,
        idempotency_key=f"ironloop-refund-{payment_id}-{entry_id}",
    )
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        due = refund_due(payment)
        if due is None:
            return
        _record_refund(payment=payment, amount=due.amount, reference="stripe", actor=None)


def _record_refund(*, payment: Payment, amount: Decimal, reference: str, actor) -> None:
    """A refunded entry, and the payment's running refund total (caller holds the lock)."""
    _deposit_entry(payment, DepositEntryKind.REFUNDED, amount, reference=reference, actor=actor)
    payment.refunded_amount += amount
    payment.refund_reference = reference
    payment.refunded_at = timezone.now()
    payment.refunded_by = actor
    payment.save(
        update_fields=[
            "refunded_amount",
            "refund_reference",
            "refunded_at",
            "refunded_by",
            "updated_at",
        ]
    )


# ---------------------------------------------------------------- deposit ends
#
# Every deposit's money is given an end by DepositEntry rows in the transaction that decides
# it: applied to the winner's order, released (a card hold not captured), forfeited by the
# default rule, or owed back (refund_due) until a refund is recorded. Stripe follows after
# the commit: holds are captured for the applied amount only, cancelled, or refunded.


def _deposit_entry(payment: Payment, kind: str, amount: Decimal, **fields) -> None:
    if amount != 0:
        DepositEntry.objects.create(
            payment=payment, kind=kind, amount=amount, currency=payment.currency, **fields
        )


def _held_deposits(qualification) -> list[Payment]:
    """The qualification's deposits whose money is held, locked: bank transfers received,
    card holds authorised (or captured)."""
    return list(
        Payment.objects.select_for_update()
        .filter(qualification=qualification, purpose=PaymentPurpose.DEPOSIT)
        .filter(
            Q(rail=PaymentRailChoice.BANK, status=P.SUCCEEDED)
            | Q(rail=PaymentRailChoice.CARD, status__in=[P.AUTHORIZED, P.SUCCEEDED])
        )
        .order_by("pk")
    )


def _give_back(payment: Payment, amount: Decimal, *, reason: str, order=None) -> None:
    """Return ``amount`` of a held deposit: an uncaptured card hold is released; money the
    platform already has (bank, captured card) is owed back, and Stripe refunds a card."""
    if amount <= 0:
        return
    if payment.rail == PaymentRailChoice.CARD and payment.status == P.AUTHORIZED:
        _deposit_entry(payment, DepositEntryKind.RELEASED, amount, reason=reason, order=order)
        return
    _deposit_entry(payment, DepositEntryKind.REFUND_DUE, amount, reason=reason, order=order)
    if payment.rail == PaymentRailChoice.CARD:
        entry = payment.deposit_entries.filter(kind=DepositEntryKind.REFUND_DUE).last()
        _after_commit_safely(_refund, payment_id=payment.pk, entry_id=entry.pk)


def _settle_hold(payment: Payment, *, capture: Decimal) -> None:
    """After the commit, capture ``capture`` of an authorised hold, or cancel it."""
    if payment.rail != PaymentRailChoice.CARD or payment.status != P.AUTHORIZED:
        return
    if not payment.stripe_payment_intent_id:
        return
    if capture > 0:
        _after_commit_safely(_capture_hold, payment_id=payment.pk, amount=capture)
    else:
        _after_commit_safely(_cancel_hold, payment_id=payment.pk)


def deposit_release(*, qualification) -> None:
    """A losing bidder's deposit (outbid, lot unsold or withdrawn) goes back whole: card
    holds are released (cancelled after the commit), bank deposits are owed back."""
    from payments.selectors import RefundReason, deposit_totals

    for payment in _held_deposits(qualification):
        _give_back(payment, deposit_totals(payment).unallocated, reason=RefundReason.RELEASED)
        _settle_hold(payment, capture=Decimal("0.00"))
    for payment in qualification.payments.filter(rail=PaymentRailChoice.CARD, status=P.PENDING):
        if payment.stripe_payment_intent_id:
            _after_commit_safely(_cancel_hold, payment_id=payment.pk)
    qualification.payments.filter(rail=PaymentRailChoice.BANK, status=P.PENDING).update(
        status=P.CANCELLED, updated_at=timezone.now()
    )


def deposit_apply_to_order(*, qualification, order) -> None:
    """The winner's deposit pays ``order.deposit_applied`` of the order; what it held beyond
    that goes back (a card hold is captured for the applied amount only)."""
    from payments.selectors import RefundReason, deposit_totals

    to_apply = order.deposit_applied
    for payment in _held_deposits(qualification):
        free = deposit_totals(payment).unallocated
        applied = min(free, to_apply)
        to_apply -= applied
        _deposit_entry(payment, DepositEntryKind.APPLIED, applied, order=order)
        _give_back(payment, free - applied, reason=RefundReason.EXCESS, order=order)
        _settle_hold(payment, capture=applied)


def deposit_settle_after_default(*, order) -> None:
    """An auction order was not paid: what its deposit paid is no longer applied; the rule's
    ``order.forfeited_amount`` is kept and ``order.refund_due`` goes back."""
    from payments.selectors import RefundReason
    from trading.models import BidderQualification

    if order.lot_id is None:
        return
    qualification = BidderQualification.objects.filter(
        lot_id=order.lot_id, bidder=order.buyer, status="applied"
    ).first()
    if qualification is None:
        return
    qualification.status = "forfeited"
    qualification.save(update_fields=["status", "updated_at"])
    to_forfeit = order.forfeited_amount
    for payment in _held_deposits(qualification):
        applied = payment.deposit_entries.filter(
            kind=DepositEntryKind.APPLIED, order=order
        ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
        if applied <= 0:
            continue
        forfeited = min(applied, to_forfeit)
        to_forfeit -= forfeited
        _deposit_entry(payment, DepositEntryKind.APPLIED, -applied, order=order, reason="default")
        _deposit_entry(payment, DepositEntryKind.FORFEITED, forfeited, order=order)
        _give_back(payment, applied - forfeited, reason=RefundReason.DEFAULT, order=order)
        _settle_hold(payment, capture=forfeited)


def deposit_card_refund_retry(*, payment: Payment, actor: User) -> None:
    """Staff ask Stripe again for a card deposit refund that failed."""
    from payments.selectors import refund_due

    require_platform_staff(actor)
    payment = Payment.objects.get(pk=payment.pk)
    if payment.rail != PaymentRailChoice.CARD or refund_due(payment) is None:
        raise ConflictError(_("这笔保证金没有待退的款项。"), code="nothing_due")
    entry = payment.deposit_entries.filter(kind=DepositEntryKind.REFUND_DUE).last()
    _refund(payment_id=payment.pk, entry_id=entry.pk)


# ---------------------------------------------------------------- bank rail


def _bank_expect(**fields) -> Payment:
    from trading.services.orders import _new_reference

    return Payment.objects.create(
        rail=PaymentRailChoice.BANK, bank_reference=_new_reference(), **fields
    )


def deposit_bank_expect(*, qualification) -> Payment:
    return _bank_expect(
        purpose=PaymentPurpose.DEPOSIT,
        qualification=qualification,
        amount=qualification.deposit_amount,
        currency=qualification.currency,
    )


def order_bank_pay(*, order, actor: User) -> Payment:
    """Pay by bank transfer: the buyer transfers ``amount_due`` quoting the order reference."""
    from trading.services.orders import order_choose_rail

    order = order_choose_rail(order=order, actor=actor, rail=PaymentRailChoice.BANK)
    existing = Payment.objects.filter(
        order=order, rail=PaymentRailChoice.BANK, status=P.PENDING
    ).first()
    if existing is not None:
        return existing
    return Payment.objects.create(
        purpose=PaymentPurpose.ORDER,
        rail=PaymentRailChoice.BANK,
        order=order,
        amount=order.amount_due,
        currency=order.currency,
        bank_reference=order.bank_reference,
    )


def _money_input(amount, *, field: str) -> Decimal:
    """A finite amount within the money columns' digits, or a form error (never a 500)."""
    whole_digits = MONEY_MAX_DIGITS - MONEY_DECIMAL_PLACES
    if (
        not isinstance(amount, Decimal)
        or not amount.is_finite()
        or (amount != 0 and amount.adjusted() >= whole_digits)
    ):
        message = _("请输入有效的金额。")
        raise DomainError(message, code="invalid_amount", fields={field: [message]})
    return quantize_money(amount)


def bank_transfer_confirm(*, reference: str, amount: Decimal, actor: User) -> Payment:
    """Staff reconcile a received transfer by its reference; the amount must match."""
    require_platform_staff(actor)
    amount = _money_input(amount, field="amount")
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .filter(rail=PaymentRailChoice.BANK, bank_reference=reference.strip().upper())
            .first()
        )
        if payment is None:
            raise NotFoundError(
                _("找不到该转账附言对应的待收款项。"),
                code="reference_unknown",
                fields={"reference": [_("未知的转账附言。")]},
            )
        if payment.status != P.PENDING:
            raise ConflictError(_("该款项已确认或已取消。"), code="already_reconciled")
        if amount != payment.amount:
            message = _("实收金额与应收金额 %(expected)s 不符。") % {"expected": payment.amount}
            raise DomainError(message, code="amount_mismatch", fields={"amount": [message]})
        payment.received_amount = amount
        payment.confirmed_by = actor
        payment.save(update_fields=["received_amount", "confirmed_by", "updated_at"])
        return payment_set_status(payment=payment, status=P.SUCCEEDED, captured=amount)


# ---------------------------------------------------------------- webhooks


class MalformedEventError(DomainError):
    default_code = "malformed_event"


def _intent_of(payload) -> dict:
    """The PaymentIntent a handled event carries, checked for shape and types."""
    data = payload.get("data") if isinstance(payload, dict) else None
    intent = data.get("object") if isinstance(data, dict) else None
    if not isinstance(intent, dict) or intent.get("object") != "payment_intent":
        raise MalformedEventError("data.object is not a payment_intent")
    if not isinstance(intent.get("id"), str) or not intent["id"] or len(intent["id"]) > 64:
        raise MalformedEventError("data.object.id is not an intent id")
    for key in ("amount", "amount_received"):
        value = intent.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise MalformedEventError(f"data.object.{key} is not a non-negative integer")
    if not isinstance(intent.get("currency"), str):
        raise MalformedEventError("data.object.currency is not a string")
    if not isinstance(intent.get("metadata") or {}, dict):
        raise MalformedEventError("data.object.metadata is not an object")
    return intent


def _payment_for_intent(intent: dict) -> Payment | None:
    """The payment an intent names: by its id, else by our payment id in the metadata (the
    intent id may not be saved yet). Whether the event may touch it is checked after."""
    payment = Payment.objects.filter(stripe_payment_intent_id=intent["id"]).first()
    if payment is None:
        payment_id = (intent.get("metadata") or {}).get("payment_id")
        if payment_id and str(payment_id).isdigit():
            payment = Payment.objects.filter(pk=int(payment_id)).first()
    return payment


def _expected_received(payment: Payment) -> Decimal:
    """What a succeeded intent must have taken: an order payment in full; a deposit hold
    the part we capture (all of it minus what was released)."""
    if payment.purpose == PaymentPurpose.ORDER:
        return payment.amount
    released = payment.deposit_entries.filter(kind=DepositEntryKind.RELEASED).aggregate(
        total=Sum("amount")
    )["total"] or Decimal("0.00")
    return payment.amount - released


def _rejection(payment: Payment, intent: dict, event_type: str) -> str:
    """Why this event may not change ``payment`` ("" when it may)."""
    reason = WebhookRejectReason
    metadata_id = str((intent.get("metadata") or {}).get("payment_id") or "")
    if payment.rail != PaymentRailChoice.CARD:
        return reason.RAIL_MISMATCH
    if payment.stripe_payment_intent_id not in ("", intent["id"]):
        return reason.INTENT_MISMATCH
    if metadata_id and metadata_id != str(payment.pk):
        return reason.INTENT_MISMATCH
    if intent["currency"].upper() != payment.currency:
        return reason.CURRENCY_MISMATCH
    if intent.get("amount", 0) != to_minor_units(payment.amount, payment.currency):
        return reason.AMOUNT_MISMATCH
    if event_type == "payment_intent.succeeded":
        expected = to_minor_units(_expected_received(payment), payment.currency)
        if expected <= 0 or stripe_gateway.intent_amount_received(intent) != expected:
            return reason.AMOUNT_MISMATCH
    return ""


REJECTION_MESSAGES = {
    WebhookRejectReason.RAIL_MISMATCH: "payment {pk} is not a card payment",
    WebhookRejectReason.INTENT_MISMATCH: "payment {pk} belongs to another intent",
    WebhookRejectReason.CURRENCY_MISMATCH: "currency differs from payment {pk}",
    WebhookRejectReason.AMOUNT_MISMATCH: "amount differs from payment {pk}",
}


def _apply_event(event: WebhookEvent) -> str:
    intent = _intent_of(event.payload)
    payment = _payment_for_intent(intent)
    if payment is None:
        return WebhookEventStatus.DEFERRED
    rejection = _rejection(payment, intent, event.event_type)
    if rejection:
        event.reject_reason = rejection
        event.error = REJECTION_MESSAGES[rejection].format(pk=payment.pk)
        return WebhookEventStatus.REJECTED
    if not payment.stripe_payment_intent_id:
        Payment.objects.filter(pk=payment.pk).update(stripe_payment_intent_id=intent["id"])
    received_minor = stripe_gateway.intent_amount_received(intent)
    received = from_minor_units(received_minor, payment.currency) if received_minor else None
    mapping = {
        "payment_intent.succeeded": P.SUCCEEDED,
        "payment_intent.amount_capturable_updated": P.AUTHORIZED,
        "payment_intent.canceled": P.CANCELLED,
        "payment_intent.payment_failed": P.FAILED,
    }
    payment_set_status(
        payment=payment,
        status=mapping[event.event_type],
        captured=received,
    )
    return WebhookEventStatus.PROCESSED


HANDLED_EVENTS = {
    "payment_intent.succeeded",
    "payment_intent.amount_capturable_updated",
    "payment_intent.canceled",
    "payment_intent.payment_failed",
}
FINAL_EVENT_STATUSES = {
    WebhookEventStatus.PROCESSED,
    WebhookEventStatus.IGNORED,
    WebhookEventStatus.REJECTED,
}


def webhook_event_process(*, event: WebhookEvent) -> WebhookEvent:
    """Apply a stored event once. Every attempt ends processed, deferred (payment not known
    yet), ignored, rejected (names a payment it does not match: nothing changed) or failed
    (malformed, or the change was refused), with the reason in ``error``."""
    with transaction.atomic():
        event = WebhookEvent.objects.select_for_update().get(pk=event.pk)
        if event.status in FINAL_EVENT_STATUSES:
            return event
        event.attempts += 1
        event.error, event.reject_reason = "", ""
        try:
            with transaction.atomic():
                if not isinstance(event.payload.get("type"), str):
                    raise MalformedEventError("type is not a string")
                status = (
                    _apply_event(event)
                    if event.event_type in HANDLED_EVENTS
                    else WebhookEventStatus.IGNORED
                )
        except DomainError as exc:
            status, event.error = WebhookEventStatus.FAILED, str(exc)
        event.status = status
        event.processed_at = timezone.now() if status != WebhookEventStatus.DEFERRED else None
        event.save(update_fields=["status", "error", "reject_reason", "attempts", "processed_at"])
    return event


def _event_id(data) -> str:
    event_id = data.get("id") if isinstance(data, dict) else None
    if not isinstance(event_id, str) or not event_id.strip() or len(event_id) > 80:
        raise MalformedEventError(_("Webhook 事件格式无效。"))
    return event_id


def webhook_receive(*, payload: bytes, signature: str) -> tuple[WebhookEvent, bool]:
    """Verify, store once (unique event id), process. Returns (event, created). An event that
    cannot be stored (not JSON, no usable id) is refused; any other shape is stored and ends
    failed with its error."""
    try:
        stripe_gateway.webhook_signature_verify(payload=payload, signature=signature)
    except Exception as exc:  # SignatureVerificationError, or a body that is not UTF-8
        raise DomainError(_("Webhook 签名无效。"), code="invalid_signature") from exc
    try:
        data = json.loads(payload)
    except ValueError as exc:
        raise MalformedEventError(_("Webhook 事件格式无效。")) from exc
    if b"\\u0000" in payload:  # PostgreSQL's jsonb cannot store a NUL character
        raise MalformedEventError(_("Webhook 事件格式无效。"))
    event_id = _event_id(data)
    event_type = data.get("type") if isinstance(data.get("type"), str) else ""
    obj = data.get("data") if isinstance(data.get("data"), dict) else {}
    obj = obj.get("object") if isinstance(obj.get("object"), dict) else {}
    intent_id = obj.get("id") if obj.get("object") == "payment_intent" else ""
    event, created = WebhookEvent.objects.get_or_create(
        stripe_event_id=event_id,
        defaults={
            "event_type": event_type[:80],
            "payload": data,
            "payment_intent_id": intent_id[:64] if isinstance(intent_id, str) else "",
        },
    )
    return webhook_event_process(event=event), created


def webhook_events_retry(*, intent_id: str | None = None) -> int:
    """Process deferred events again (all of them, or those of one intent)."""
    events = WebhookEvent.objects.filter(
        status__in=[WebhookEventStatus.DEFERRED, WebhookEventStatus.FAILED]
    )
    if intent_id:
        events = events.filter(payment_intent_id=intent_id)
    return sum(
        1
        for event in events
        if webhook_event_process(event=event).status == WebhookEventStatus.PROCESSED
    )


# ---------------------------------------------------------------- bank refunds


def bank_refund_record(*, payment: Payment, reference: str, actor: User) -> Payment:
    """Staff record the transfer that paid a bank deposit back (their bank's reference); the
    bidder is told. The amount is everything ``selectors.bank_refund_due`` says is owed."""
    from notifications.services import notification_send
    from payments.selectors import bank_refund_due

    require_platform_staff(actor)
    reference = (reference or "").strip()
    if not reference or len(reference) > 64:
        message = _("请填写退款转账的流水号（最多 64 个字符）。")
        raise DomainError(message, fields={"reference": [message]})
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update(of=("self",))
            .select_related("qualification__bidder", "qualification__requested_by")
            .get(pk=payment.pk)
        )
        due = bank_refund_due(payment)
        if due is None:
            raise ConflictError(_("这笔保证金没有待退的款项。"), code="nothing_due")
        _record_refund(payment=payment, amount=due.amount, reference=reference, actor=actor)
        recipient = payment.qualification.requested_by
        if recipient is not None:
            notification_send(
                recipient=recipient,
                kind="deposit_refunded",
                title=_("保证金已退还"),
                body=_("%(amount)s 已转回贵公司账户，转账流水号 %(reference)s。")
                % {"amount": format_cny(due.amount), "reference": reference},
            )
    return payment
