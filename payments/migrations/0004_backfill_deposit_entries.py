"""Give every deposit recorded before DepositEntry existed its ends, from what the
qualification and its order say: so what the old code left owed (a winner's excess, which it
neither refunded nor released) appears on the refunds list."""

from decimal import Decimal

from django.db import migrations

ZERO = Decimal("0.00")


def _held(payment, qualification) -> Decimal:
    if payment.rail == "bank":
        return payment.captured_amount if payment.status == "succeeded" else ZERO
    if payment.status in ("authorized", "succeeded"):
        return payment.amount
    # A card qualification became active only once its hold was authorised.
    was_held = payment.status == "cancelled" and qualification.status == "released"
    return payment.amount if was_held and payment.stripe_payment_intent_id else ZERO


def _entries(payment, qualification, order, held):
    """(kind, amount, reason) rows for one deposit."""
    uncaptured = payment.rail == "card" and payment.status in ("authorized", "cancelled")
    give_back = "released" if uncaptured else "refund_due"
    if qualification.status in ("released", "cancelled"):
        return [(give_back, held, "released")]
    if order is None:
        return []
    applied = min(order.deposit_applied, held)
    rows = [(give_back, held - applied, "excess")]
    if qualification.status == "applied":
        rows.append(("applied", applied, ""))
    elif qualification.status == "forfeited":
        rows.append(("forfeited", min(order.forfeited_amount, applied), ""))
        rows.append((give_back, applied - min(order.forfeited_amount, applied), "default"))
    return rows


def backfill(apps, schema_editor):
    Payment = apps.get_model("payments", "Payment")
    DepositEntry = apps.get_model("payments", "DepositEntry")
    Order = apps.get_model("trading", "Order")
    deposits = Payment.objects.filter(purpose="deposit", qualification__isnull=False).exclude(
        deposit_entries__isnull=False
    )
    for payment in deposits.select_related("qualification").order_by("pk"):
        qualification = payment.qualification
        held = _held(payment, qualification)
        if held <= 0:
            continue
        order = (
            Order.objects.filter(lot_id=qualification.lot_id, buyer_id=qualification.bidder_id)
            .order_by("-created_at")
            .first()
        )
        rows = _entries(payment, qualification, order, held)
        if payment.refunded_amount > 0:
            rows.append(("refunded", payment.refunded_amount, ""))
        for kind, amount, reason in rows:
            if amount > 0:
                DepositEntry.objects.create(
                    payment=payment,
                    kind=kind,
                    amount=amount,
                    currency=payment.currency,
                    order=None if reason == "released" else order,
                    reason=reason,
                    reference=payment.refund_reference if kind == "refunded" else "",
                    actor_id=payment.refunded_by_id if kind == "refunded" else None,
                    created_at=payment.refunded_at
                    if kind == "refunded" and payment.refunded_at
                    else payment.updated_at,
                )


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0003_deposit_entries_and_webhook_rejections"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
