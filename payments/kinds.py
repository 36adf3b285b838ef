"""Payment kinds: what a payment pays for, registered by the app that owns the subject.

``settings.PAYMENT_KINDS`` maps each ``PaymentPurpose`` value to the dotted path of a
``PaymentKind`` instance (trading registers ``deposit`` and ``order`` in
``trading/payment_kinds.py``; later apps add theirs). Payments never imports those apps: it
asks the kind what to lock first, what amount and currency to expect, and tells it what the
money did (authorised, succeeded, failed, cancelled, refunded) in the same transaction.

Lock order: a kind's ``subject_lock`` runs before payments locks any Payment row, so the
subject (Lot → BidderQualification → Order …) is always taken before Payment → DepositEntry.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from payments.errors import PaymentsErrorCode


@dataclass(frozen=True)
class PaymentTerms:
    """What a new payment for a subject must be: the amount, its currency and, when the
    subject already shows the payer a transfer reference, that reference."""

    amount: Decimal
    currency: str
    bank_reference: str = ""


class PaymentKind:
    """Base class of a registered kind; the ``on_*`` hooks do nothing unless overridden.

    Hooks run inside the payment's transaction, after the payment row is saved, with the
    subject and the payment locked; ``subject`` is the row ``subject_lock`` returned. A hook
    that raises rolls the payment change back."""

    purpose: str = ""
    #: The Payment foreign key that holds the subject (``order``, ``qualification``).
    subject_field: str = ""

    def subject_id(self, payment) -> int | None:
        return getattr(payment, f"{self.subject_field}_id")

    def subject_lock(self, subject_id: int) -> Any:
        """Lock and return the subject row (first in the project's lock order)."""
        raise NotImplementedError

    def terms(self, *, subject: Any, actor, rail: str) -> PaymentTerms:
        """Check the subject may be paid on ``rail`` by ``actor`` (raising a DomainError if
        not, with nothing changed) and return what the payment must be."""
        raise NotImplementedError

    def expected_transfer(self, reference: str) -> tuple[Any, PaymentTerms] | None:
        """The subject that already showed the payer ``reference`` (on its page, e-mail or
        notice) and still expects a transfer, with the payment's terms; None if none does.
        Lets staff reconcile a transfer the payer made without first choosing the bank
        rail on the page."""
        return None

    def on_authorized(self, payment, subject) -> None:
        """A card hold was authorised (the money is reserved, not taken)."""

    def on_succeeded(self, payment, subject) -> None:
        """The money arrived (a bank transfer confirmed, a card charge or capture)."""

    def on_failed(self, payment, subject) -> None:
        """A card payment failed; the payer may retry."""

    def on_cancelled(self, payment, subject) -> None:
        """A payment will not be collected (a hold released, an expected transfer void)."""

    def on_refunded(self, payment, *, amount: Decimal, reference: str) -> None:
        """Staff recorded the transfer that paid ``amount`` of this payment back."""


class UnknownPaymentKindError(LookupError):
    code = PaymentsErrorCode.UNKNOWN_PAYMENT_KIND


@cache
def _load(path: str) -> PaymentKind:
    return import_string(path)


def payment_kind(purpose: str) -> PaymentKind:
    """The registered kind for ``purpose`` (a configuration error if none is)."""
    try:
        path = settings.PAYMENT_KINDS[purpose]
    except KeyError as exc:
        raise UnknownPaymentKindError(f"no PAYMENT_KINDS entry for {purpose!r}") from exc
    return _load(path)
