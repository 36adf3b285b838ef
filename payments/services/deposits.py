"""The ledger of deposit money (DepositEntry): where each held deposit's money went.

Every deposit's money is given an end by DepositEntry rows in the transaction that decides
it: applied to the winner's order, released (a card hold not captured), forfeited under
the subject's rule, or owed back (refund_due) until a refund is recorded. Stripe follows
after the commit: holds are captured for the applied amount only, cancelled, or refunded.

The app that owns the deposit's subject decides the amounts (trading: the order's
``deposit_applied`` and the default rule's forfeit) and calls ``deposit_apply``,
``deposit_forfeit`` or ``deposit_release``; it holds the subject's lock, and these lock the
deposit payments after it (payments.lock_objects order).
"""

from decimal import Decimal

from django.db.models import Q, Sum

from payments.lock_objects import payments_lock
from payments.models import DepositEntryKind, Payment, PaymentPurpose
from payments.models import PaymentRailChoice as Rail
from payments.models import PaymentStatus as P
from payments.selectors import RefundReason, deposit_totals
from payments.services.card import after_commit_safely, cancel_hold, capture_hold, refund
from payments.services.ledger import deposit_entry_add
from payments.services.status import payment_transition_locked

ZERO = Decimal("0.00")


def _held_deposits(qualification) -> list[Payment]:
    """The subject's deposits whose money is held, locked: bank transfers received, card
    holds authorised (or captured)."""
    return list(
        payments_lock(
            Q(rail=Rail.BANK, status=P.SUCCEEDED)
            | Q(rail=Rail.CARD, status__in=[P.AUTHORIZED, P.SUCCEEDED]),
            qualification=qualification,
            purpose=PaymentPurpose.DEPOSIT,
        )
    )


def _give_back(payment: Payment, amount: Decimal, *, reason: str, order=None) -> None:
    """Return ``amount`` of a held deposit: an uncaptured card hold is released; money the
    platform already has (bank, captured card) is owed back, and Stripe refunds a card."""
    if amount <= 0:
        return
    if payment.rail == Rail.CARD and payment.status == P.AUTHORIZED:
        deposit_entry_add(payment, DepositEntryKind.RELEASED, amount, reason=reason, order=order)
        return
    deposit_entry_add(payment, DepositEntryKind.REFUND_DUE, amount, reason=reason, order=order)
    if payment.rail == Rail.CARD:
        entry = payment.deposit_entries.filter(kind=DepositEntryKind.REFUND_DUE).last()
        after_commit_safely(refund, payment_id=payment.pk, entry_id=entry.pk)


def _settle_hold(payment: Payment, *, capture: Decimal) -> None:
    """After the commit, capture ``capture`` of an authorised hold, or cancel it."""
    if payment.rail != Rail.CARD or payment.status != P.AUTHORIZED:
        return
    if not payment.stripe_payment_intent_id:
        return
    if capture > 0:
        after_commit_safely(capture_hold, payment_id=payment.pk, amount=capture)
    else:
        after_commit_safely(cancel_hold, payment_id=payment.pk)


def deposit_release(*, qualification) -> None:
    """A deposit that paid for nothing (the bidder lost, the lot did not sell) goes back
    whole: card holds are released (cancelled after the commit), bank deposits are owed
    back, and transfers still expected are cancelled through the payment transition."""
    for payment in _held_deposits(qualification):
        _give_back(payment, deposit_totals(payment).unallocated, reason=RefundReason.RELEASED)
        _settle_hold(payment, capture=ZERO)
    pending = payments_lock(qualification=qualification, status=P.PENDING)
    for payment in pending:
        if payment.rail == Rail.BANK:
            payment_transition_locked(payment=payment, subject=qualification, to_status=P.CANCELLED)
        elif payment.stripe_payment_intent_id:
            after_commit_safely(cancel_hold, payment_id=payment.pk)


def deposit_apply(*, qualification, order, amount: Decimal) -> None:
    """``amount`` of the deposit pays for ``order``; what it held beyond that goes back (a
    card hold is captured for the applied amount only)."""
    to_apply = amount
    for payment in _held_deposits(qualification):
        free = deposit_totals(payment).unallocated
        applied = min(free, to_apply)
        to_apply -= applied
        deposit_entry_add(payment, DepositEntryKind.APPLIED, applied, order=order)
        _give_back(payment, free - applied, reason=RefundReason.EXCESS, order=order)
        _settle_hold(payment, capture=applied)


def deposit_forfeit(*, qualification, order, amount: Decimal) -> None:
    """The order the deposit paid for defaulted: what the deposit paid is no longer
    applied; ``amount`` (the subject's rule) is forfeited and the rest is owed back."""
    to_forfeit = amount
    for payment in _held_deposits(qualification):
        applied = (
            payment.deposit_entries.filter(kind=DepositEntryKind.APPLIED, order=order).aggregate(
                total=Sum("amount")
            )["total"]
            or ZERO
        )
        if applied <= 0:
            continue
        forfeited = min(applied, to_forfeit)
        to_forfeit -= forfeited
        deposit_entry_add(
            payment, DepositEntryKind.APPLIED, -applied, order=order, reason="default"
        )
        deposit_entry_add(payment, DepositEntryKind.FORFEITED, forfeited, order=order)
        _give_back(payment, applied - forfeited, reason=RefundReason.DEFAULT, order=order)
        _settle_hold(payment, capture=forfeited)
