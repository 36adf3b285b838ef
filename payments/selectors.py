"""Read queries of the payments app."""

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
