"""Writing DepositEntry rows (the caller holds the deposit payment's lock)."""

from decimal import Decimal

from django.utils import timezone

from payments.models import DepositEntry, DepositEntryKind, Payment, PaymentEventKind
from payments.services.status import payment_event_record


def deposit_entry_add(payment: Payment, kind: str, amount: Decimal, **fields) -> None:
    if amount != 0:
        DepositEntry.objects.create(
            payment=payment, kind=kind, amount=amount, currency=payment.currency, **fields
        )


def refund_record_locked(*, payment: Payment, amount: Decimal, reference: str, actor) -> None:
    """A refunded entry, the payment's running refund total and its event."""
    deposit_entry_add(payment, DepositEntryKind.REFUNDED, amount, reference=reference, actor=actor)
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
    payment_event_record(
        payment=payment,
        kind=PaymentEventKind.REFUNDED,
        from_status=payment.status,
        amount=amount,
        actor=actor,
        note=reference,
    )
