"""Payments on two rails (Stripe card PaymentIntents, bank transfers reconciled by staff),
Stripe webhooks, and the ledger of deposit money owed.

A package by role: ``status`` (the payment state machine), ``card``, ``bank``,
``webhooks``, ``deposits`` (the DepositEntry ledger) and ``ledger`` (writing entries).
What a payment pays for is its kind's business (``payments.kinds``, registered in
``settings.PAYMENT_KINDS``); nothing here imports the apps that own the subjects.
The public names are importable from ``payments.services``.
"""

from payments.services.bank import (
    bank_refund_record,
    bank_transfer_confirm,
    deposit_bank_expect,
    order_bank_pay,
)
from payments.services.card import (
    card_enabled,
    deposit_card_hold,
    deposit_card_refund_retry,
    order_card_pay,
    order_wallet_pay,
)
from payments.services.deposits import deposit_apply, deposit_forfeit, deposit_release
from payments.services.status import (
    PAYMENT_TRANSITIONS,
    STRIPE_STATUS,
    can_transition,
    payment_create,
    payment_set_status,
)
from payments.services.webhooks import (
    MalformedEventError,
    webhook_event_process,
    webhook_events_retry,
    webhook_receive,
)

__all__ = [
    "PAYMENT_TRANSITIONS",
    "STRIPE_STATUS",
    "MalformedEventError",
    "bank_refund_record",
    "bank_transfer_confirm",
    "can_transition",
    "card_enabled",
    "deposit_apply",
    "deposit_bank_expect",
    "deposit_card_hold",
    "deposit_card_refund_retry",
    "deposit_forfeit",
    "deposit_release",
    "order_bank_pay",
    "order_card_pay",
    "order_wallet_pay",
    "payment_create",
    "payment_set_status",
    "webhook_event_process",
    "webhook_events_retry",
    "webhook_receive",
]
