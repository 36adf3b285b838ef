"""The payment state machine: one table, one helper that checks it, saves with
``update_fields`` and writes the PaymentEvent, and the kind's hook for the new status.

PAYMENT_TRANSITIONS: pending → authorized | succeeded | cancelled | failed; authorized →
succeeded | cancelled; failed → pending (a retry) | authorized | succeeded | cancelled.
"""

from decimal import Decimal

from django.db import transaction

from accounts.models import User
from payments.kinds import PaymentKind, PaymentTerms, payment_kind
from payments.lock_objects import payment_lock
from payments.models import Payment, PaymentEvent, PaymentEventKind, PaymentStatus

P = PaymentStatus
PAYMENT_TRANSITIONS: dict[str, set[str]] = {
    P.PENDING: {P.AUTHORIZED, P.SUCCEEDED, P.CANCELLED, P.FAILED},
    P.AUTHORIZED: {P.SUCCEEDED, P.CANCELLED},
    P.FAILED: {P.PENDING, P.AUTHORIZED, P.SUCCEEDED, P.CANCELLED},
    P.SUCCEEDED: set(),
    P.CANCELLED: set(),
}
EVENT_KIND = {
    P.PENDING: PaymentEventKind.RETRIED,
    P.AUTHORIZED: PaymentEventKind.AUTHORIZED,
    P.SUCCEEDED: PaymentEventKind.SUCCEEDED,
    P.FAILED: PaymentEventKind.FAILED,
    P.CANCELLED: PaymentEventKind.CANCELLED,
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


def can_transition(payment: Payment, to_status: str) -> bool:
    return to_status != payment.status and to_status in PAYMENT_TRANSITIONS[payment.status]


def _notify_kind(kind: PaymentKind, payment: Payment, subject) -> None:
    hook = {
        P.AUTHORIZED: kind.on_authorized,
        P.SUCCEEDED: kind.on_succeeded,
        P.FAILED: kind.on_failed,
        P.CANCELLED: kind.on_cancelled,
    }.get(payment.status)
    if hook is not None:
        hook(payment, subject)


def payment_event_record(
    *, payment: Payment, kind: str, from_status: str = "", amount=None, actor=None, note=""
) -> PaymentEvent:
    return PaymentEvent.objects.create(
        payment=payment,
        kind=kind,
        from_status=from_status,
        to_status=payment.status,
        amount=amount,
        actor=actor,
        note=note[:300],
    )


def payment_transition_locked(
    *,
    payment: Payment,
    subject,
    to_status: str,
    captured: Decimal | None = None,
    error: str = "",
    actor: User | None = None,
    fields: tuple[str, ...] = (),
) -> Payment:
    """Apply a status the caller already holds the subject and payment locks for
    (``subject`` is the locked subject row, handed to the kind's hook). Stale or repeated
    news (a replay, an older event) changes nothing and returns the payment."""
    if not can_transition(payment, to_status):
        return payment
    from_status = payment.status
    payment.status = to_status
    update = ["status", "updated_at", *fields]
    if to_status == P.SUCCEEDED:
        payment.captured_amount = captured if captured is not None else payment.amount
        update.append("captured_amount")
    if error:
        payment.error = error
        update.append("error")
    payment.save(update_fields=update)
    payment_event_record(
        payment=payment,
        kind=EVENT_KIND[to_status],
        from_status=from_status,
        amount=payment.captured_amount if to_status == P.SUCCEEDED else None,
        actor=actor,
        note=error,
    )
    _notify_kind(payment_kind(payment.purpose), payment, subject)
    return payment


def payment_lock_with_subject(payment: Payment) -> tuple[Payment, object]:
    """Lock the payment's subject (through its kind), then the payment: the lock order.
    Returns the locked payment and subject."""
    kind = payment_kind(payment.purpose)
    subject = kind.subject_lock(kind.subject_id(payment))
    return payment_lock(payment.pk), subject


def payment_set_status(
    *, payment: Payment, status: str, captured: Decimal | None = None, error: str = ""
) -> Payment:
    """Move a payment forward; stale or repeated news (a replay, an older event) is ignored.
    The kind hears of the new status in the same transaction."""
    with transaction.atomic():
        payment, subject = payment_lock_with_subject(payment)
        return payment_transition_locked(
            payment=payment, subject=subject, to_status=status, captured=captured, error=error
        )


def payment_create(*, purpose: str, rail: str, subject, terms: PaymentTerms, **fields) -> Payment:
    """A new pending payment for ``subject`` (stored in the kind's subject column)."""
    kind = payment_kind(purpose)
    payment = Payment.objects.create(
        purpose=purpose,
        rail=rail,
        amount=terms.amount,
        currency=terms.currency,
        **{kind.subject_field: subject},
        **fields,
    )
    payment_event_record(payment=payment, kind=PaymentEventKind.CREATED, amount=terms.amount)
    return payment
