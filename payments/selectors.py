"""Read queries of the payments app."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from payments.models import Payment, PaymentPurpose, PaymentRailChoice, PaymentStatus


def order_amount_paid(*, order) -> Decimal:
    """Money received for the order itself (the applied deposit is already netted off)."""
    total = Payment.objects.filter(
        order=order, purpose=PaymentPurpose.ORDER, status=PaymentStatus.SUCCEEDED
    ).aggregate(total=Sum("captured_amount"))["total"]
    return total or Decimal("0.00")


def pending_bank_transfers():
    return (
        Payment.objects.filter(rail=PaymentRailChoice.BANK, status=PaymentStatus.PENDING)
        .select_related("order__buyer", "qualification__bidder")
        .order_by("created_at")
    )


def payments_of_order(*, order):
    return Payment.objects.filter(order=order).order_by("created_at")


@dataclass(frozen=True)
class BankRefundDue:
    """A bank deposit the platform holds and owes back, and why."""

    payment: Payment
    amount: Decimal
    reason: str  # "released": the bidder did not win; "default": what a default leaves


def bank_refund_due(payment: Payment) -> BankRefundDue | None:
    """What ``payment`` (a received bank deposit not yet paid back) is owed back, if anything.

    A released qualification (outbid, lot unsold or withdrawn) gets the whole deposit back;
    after a winner's default the order says what the published rule does not forfeit. An
    applied deposit paid for the machine and is not owed."""
    from trading.models import Order, OrderStatus, QualificationStatus

    if (
        payment.purpose != PaymentPurpose.DEPOSIT
        or payment.rail != PaymentRailChoice.BANK
        or payment.status != PaymentStatus.SUCCEEDED
        or payment.refunded_at is not None
        or payment.qualification_id is None
    ):
        return None
    qualification = payment.qualification
    if qualification.status == QualificationStatus.RELEASED:
        return BankRefundDue(payment, payment.captured_amount, "released")
    if qualification.status == QualificationStatus.FORFEITED:
        order = Order.objects.filter(
            lot_id=qualification.lot_id,
            buyer_id=qualification.bidder_id,
            status=OrderStatus.DEFAULTED,
        ).first()
        if order is not None and order.refund_due > 0:
            return BankRefundDue(payment, order.refund_due, "default")
    return None


def bank_refunds_due() -> list[BankRefundDue]:
    """Every bank deposit owed back, oldest first."""
    from trading.models import QualificationStatus

    candidates = (
        Payment.objects.filter(
            purpose=PaymentPurpose.DEPOSIT,
            rail=PaymentRailChoice.BANK,
            status=PaymentStatus.SUCCEEDED,
            refunded_at__isnull=True,
            qualification__status__in=[
                QualificationStatus.RELEASED,
                QualificationStatus.FORFEITED,
            ],
        )
        .select_related("qualification__bidder", "qualification__lot__listing")
        .order_by("updated_at", "id")
    )
    return [due for due in map(bank_refund_due, candidates) if due is not None]
