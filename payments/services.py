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
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_platform_staff
from core.errors import ConflictError, DomainError, NotFoundError
from core.money import format_cny, from_minor_units, quantize_money
from payments import stripe_gateway
from payments.models import (
    Payment,
    PaymentPurpose,
    PaymentRailChoice,
    PaymentStatus,
    WebhookEvent,
    WebhookEventStatus,
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


def _capture_hold(*, payment_id: int) -> None:
    payment = Payment.objects.get(pk=payment_id)
    result = stripe_gateway.payment_intent_capture(
        intent_id=payment.stripe_payment_intent_id, amount=payment.amount, currency=payment.currency
    )
    payment_set_status(
        payment=payment,
        status=STRIPE_STATUS.get(result.status, P.PENDING),
        captured=result.amount_received,
    )


def _refund(*, payment_id: int, amount: Decimal) -> None:
    payment = Payment.objects.get(pk=payment_id)
    stripe_gateway.refund_create(
        intent_id=payment.stripe_payment_intent_id, amount=amount, currency=payment.currency
    )
    Payment.objects.filter(pk=payment_id).update(refunded_amount=amount, updated_at=timezone.now())


def deposit_release(*, qualification) -> None:
    """A losing bidder's deposit: card holds are cancelled after the commit; bank deposits
    become a refund for staff (the qualification row records it)."""
    for payment in qualification.payments.filter(
        rail=PaymentRailChoice.CARD, status__in=[P.AUTHORIZED, P.PENDING]
    ):
        if payment.stripe_payment_intent_id:
            _after_commit_safely(_cancel_hold, payment_id=payment.pk)
    qualification.payments.filter(rail=PaymentRailChoice.BANK, status=P.PENDING).update(
        status=P.CANCELLED, updated_at=timezone.now()
    )


def deposit_apply_to_order(*, qualification, order) -> None:
    """The winner's deposit counts towards the order: a card hold is captured."""
    for payment in qualification.payments.filter(rail=PaymentRailChoice.CARD, status=P.AUTHORIZED):
        _after_commit_safely(_capture_hold, payment_id=payment.pk)


def deposit_refund_after_default(*, order) -> None:
    """Refund what the published default rule does not forfeit (card deposits by Stripe)."""
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
    card = qualification.payments.filter(rail=PaymentRailChoice.CARD, status=P.SUCCEEDED).first()
    if card is not None:
        transaction.on_commit(lambda: _refund(payment_id=card.pk, amount=order.refund_due))


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


def bank_transfer_confirm(*, reference: str, amount: Decimal, actor: User) -> Payment:
    """Staff reconcile a received transfer by its reference; the amount must match."""
    require_platform_staff(actor)
    amount = quantize_money(amount)
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


def _payment_for_intent(intent: dict) -> Payment | None:
    payment = Payment.objects.filter(stripe_payment_intent_id=intent["id"]).first()
    if payment is None:
        payment_id = (intent.get("metadata") or {}).get("payment_id")
        if payment_id and str(payment_id).isdigit():
            payment = Payment.objects.filter(
                pk=int(payment_id), stripe_payment_intent_id__in=["", intent["id"]]
            ).first()
    return payment


def _apply_event(event: WebhookEvent) -> str:
    intent = event.payload["data"]["object"]
    payment = _payment_for_intent(intent)
    if payment is None:
        return WebhookEventStatus.DEFERRED
    if not payment.stripe_payment_intent_id:
        Payment.objects.filter(pk=payment.pk).update(stripe_payment_intent_id=intent["id"])
    received_minor = intent.get("amount_received") or 0
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


def webhook_event_process(*, event: WebhookEvent) -> WebhookEvent:
    with transaction.atomic():
        event = WebhookEvent.objects.select_for_update().get(pk=event.pk)
        if event.status in (WebhookEventStatus.PROCESSED, WebhookEventStatus.IGNORED):
            return event
        event.attempts += 1
        try:
            with transaction.atomic():
                status = (
                    _apply_event(event)
                    if event.event_type in HANDLED_EVENTS
                    else WebhookEventStatus.IGNORED
                )
            event.error = ""
        except DomainError as exc:
            status, event.error = WebhookEventStatus.FAILED, str(exc)
        event.status = status
        event.processed_at = timezone.now() if status != WebhookEventStatus.DEFERRED else None
        event.save(update_fields=["status", "error", "attempts", "processed_at"])
    return event


def webhook_receive(*, payload: bytes, signature: str) -> tuple[WebhookEvent, bool]:
    """Verify, store once (unique event id), process. Returns (event, created)."""
    try:
        verified = stripe_gateway.webhook_event_construct(payload=payload, signature=signature)
    except Exception as exc:  # ValueError or SignatureVerificationError
        raise DomainError(_("Webhook 签名无效。"), code="invalid_signature") from exc
    del verified
    data = json.loads(payload)
    obj = data.get("data", {}).get("object", {}) or {}
    event, created = WebhookEvent.objects.get_or_create(
        stripe_event_id=data["id"],
        defaults={
            "event_type": data["type"],
            "payload": data,
            "payment_intent_id": obj.get("id", "") if obj.get("object") == "payment_intent" else "",
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
    bidder is told. The amount is what ``selectors.bank_refund_due`` says is owed."""
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
        payment.refunded_amount = due.amount
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
