"""Stripe webhooks: verified, stored once by the unique Stripe event id, applied under the
event's row lock, so replays and out-of-order deliveries are harmless."""

import json
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import from_minor_units, to_minor_units
from payments import stripe_gateway
from payments.errors import PaymentsErrorCode
from payments.lock_objects import webhook_event_lock
from payments.models import (
    STRIPE_RAILS,
    DepositEntryKind,
    Payment,
    PaymentPurpose,
    WebhookEvent,
    WebhookEventStatus,
    WebhookRejectReason,
)
from payments.models import PaymentStatus as P
from payments.services.status import payment_set_status


class MalformedEventError(DomainError):
    default_code = PaymentsErrorCode.MALFORMED_EVENT


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
    if payment.rail not in STRIPE_RAILS:
        return reason.RAIL_MISMATCH
    method_types = intent.get("payment_method_types")
    if isinstance(method_types, list) and method_types and payment.rail not in method_types:
        return reason.RAIL_MISMATCH  # e.g. a card intent naming an Alipay payment
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
    WebhookRejectReason.RAIL_MISMATCH: "payment {pk} is not paid on this Stripe method",
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
        event = webhook_event_lock(event.pk)
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
        raise DomainError(
            _("Webhook 签名无效。"), code=PaymentsErrorCode.INVALID_SIGNATURE
        ) from exc
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
