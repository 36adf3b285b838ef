"""Row locks for payments writes.

Lock order for the whole project (each kind of row in ascending pk order)::

    Lot → BidderQualification → Order → Offer → Listing → Machine
        → other apps' rows on a machine (LeaseContract, InspectionReport, DisposalRequest …)
        → Payment → DepositEntry

Payments come last: every service that changes a payment first asks its kind
(``payments.kinds``) to lock the subject, then locks the payment here. A Stripe webhook
locks its WebhookEvent row before all of these (the event is its own entry point and no
service holding a subject ever waits for an event row). DepositEntry rows are only
inserted, never locked: the deposit's Payment lock guards its ledger.

One exception to the order, on purpose: a kind's hook runs while the Payment row is held
and may lock rows that come before it (an order payment completing a sale locks the
Listing, then the Machine). That cannot deadlock because every path to a payment takes its
subject first (the Order here), so no one else can hold that payment and wait for them.

Every lock is ``select_for_update(of=("self",))`` so a ``select_related`` join never locks
the joined rows on PostgreSQL; several rows are locked in pk order. On SQLite these are
plain reads (its database-level write lock serialises writers).
"""

from django.db.models import Q, QuerySet

from payments.models import Payment, WebhookEvent


def payments_lock(*conditions: Q, **lookups) -> QuerySet[Payment]:
    """Payments matching the filter, to lock in pk order (evaluate inside the transaction)."""
    return (
        Payment.objects.select_for_update(of=("self",))
        .filter(*conditions, **lookups)
        .order_by("pk")
    )


def payment_lock(pk: int) -> Payment:
    return payments_lock(pk=pk).get()


def webhook_event_lock(pk: int) -> WebhookEvent:
    return WebhookEvent.objects.select_for_update(of=("self",)).get(pk=pk)
