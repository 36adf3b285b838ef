"""Read queries of the payments app."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, F, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS
from payments.models import (
    DepositEntry,
    DepositEntryKind,
    Payment,
    PaymentPurpose,
    PaymentRailChoice,
    PaymentStatus,
)

ZERO = Decimal("0.00")


def money_output() -> DecimalField:
    return DecimalField(max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES)


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
class DepositTotals:
    """A deposit's money by where it went (sums of its DepositEntry rows)."""

    held: Decimal
    applied: Decimal
    released: Decimal
    forfeited: Decimal
    refund_due: Decimal
    refunded: Decimal

    @property
    def owed(self) -> Decimal:
        return self.refund_due - self.refunded

    @property
    def unallocated(self) -> Decimal:
        """Held but not yet given an end (a live qualification, or an order not yet settled
        counts as applied)."""
        return self.held - self.applied - self.released - self.forfeited - self.refund_due


def deposit_held(payment: Payment) -> Decimal:
    """What the bidder put up: a bank deposit as received; a card hold as authorised."""
    if payment.rail == PaymentRailChoice.BANK:
        return payment.captured_amount if payment.status == PaymentStatus.SUCCEEDED else ZERO
    if payment.status in (PaymentStatus.AUTHORIZED, PaymentStatus.SUCCEEDED):
        return payment.amount
    released = payment.deposit_entries.filter(kind=DepositEntryKind.RELEASED).exists()
    return payment.amount if payment.status == PaymentStatus.CANCELLED and released else ZERO


def deposit_totals(payment: Payment) -> DepositTotals:
    sums = dict(
        payment.deposit_entries.values_list("kind").annotate(total=Sum("amount")).order_by()
    )
    return DepositTotals(
        held=deposit_held(payment),
        **{kind: sums.get(kind, ZERO) for kind in DepositEntryKind.values},
    )


@dataclass(frozen=True)
class RefundDue:
    """A deposit amount the platform owes back, since when and why."""

    payment: Payment
    amount: Decimal
    reason: str  # RefundReason
    owed_since: dt.datetime

    @property
    def days_owed(self) -> int:
        return (timezone.localdate() - timezone.localdate(self.owed_since)).days


# Kept under its old name: the bank rail is the one staff pay back by hand.
BankRefundDue = RefundDue


class RefundReason:
    RELEASED = "released"  # the bidder did not win (outbid, lot unsold or withdrawn)
    EXCESS = "excess"  # the winner's deposit was more than the order's total
    DEFAULT = "default"  # what the published default rule does not forfeit


def _oldest_unpaid(entries: list[DepositEntry]) -> DepositEntry | None:
    """The oldest refund_due entry not yet covered by refunds (first owed, first paid)."""
    paid = sum((e.amount for e in entries if e.kind == DepositEntryKind.REFUNDED), ZERO)
    for entry in entries:
        if entry.kind != DepositEntryKind.REFUND_DUE:
            continue
        if paid < entry.amount:
            return entry
        paid -= entry.amount
    return None


def refund_due(payment: Payment) -> RefundDue | None:
    """What ``payment`` (a deposit) is still owed back, if anything."""
    entries = list(
        payment.deposit_entries.filter(
            kind__in=[DepositEntryKind.REFUND_DUE, DepositEntryKind.REFUNDED]
        )
    )
    return _due_from_entries(payment, entries)


def _due_from_entries(payment: Payment, entries: list[DepositEntry]) -> RefundDue | None:
    due = sum((e.amount for e in entries if e.kind == DepositEntryKind.REFUND_DUE), ZERO)
    paid = sum((e.amount for e in entries if e.kind == DepositEntryKind.REFUNDED), ZERO)
    oldest = _oldest_unpaid(entries)
    if due <= paid or oldest is None:
        return None
    return RefundDue(payment, due - paid, oldest.reason, oldest.created_at)


def bank_refund_due(payment: Payment) -> RefundDue | None:
    """What a bank deposit is owed back (staff pay it by transfer)."""
    if payment.rail != PaymentRailChoice.BANK:
        return None
    return refund_due(payment)


def refunds_due(*, rail: str | None = None) -> list[RefundDue]:
    """Every deposit amount owed back, longest owed first. Card refunds are normally paid by
    Stripe right after the decision; one listed here failed or is under way."""
    owed = Sum("deposit_entries__amount", filter=Q(deposit_entries__kind="refund_due"))
    paid = Sum("deposit_entries__amount", filter=Q(deposit_entries__kind="refunded"))
    candidates = Payment.objects.filter(purpose=PaymentPurpose.DEPOSIT)
    if rail is not None:
        candidates = candidates.filter(rail=rail)
    candidates = (
        candidates.annotate(
            owed=owed, paid=Coalesce(paid, Value(ZERO), output_field=money_output())
        )
        .filter(owed__gt=F("paid"))
        .select_related("qualification__bidder", "qualification__lot__listing")
        .prefetch_related(
            Prefetch(
                "deposit_entries",
                queryset=DepositEntry.objects.filter(
                    kind__in=[DepositEntryKind.REFUND_DUE, DepositEntryKind.REFUNDED]
                ),
                to_attr="refund_entries",
            )
        )
    )
    dues = [_due_from_entries(p, p.refund_entries) for p in candidates]
    return sorted((d for d in dues if d is not None), key=lambda d: (d.owed_since, d.payment.pk))


def bank_refunds_due() -> list[RefundDue]:
    """Every bank deposit owed back, longest owed first."""
    return refunds_due(rail=PaymentRailChoice.BANK)
