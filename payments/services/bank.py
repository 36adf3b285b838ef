"""The bank rail: transfers quoting a reference, reconciled by staff; deposits paid back by
the platform's own transfer, recorded by staff."""

from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_platform_staff
from core.errors import ConflictError, DomainError, NotFoundError
from core.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS, quantize_money
from payments.errors import PaymentsErrorCode as Code
from payments.kinds import payment_kind
from payments.lock_objects import payment_lock
from payments.models import Payment, PaymentPurpose
from payments.models import PaymentRailChoice as Rail
from payments.models import PaymentStatus as P
from payments.references import bank_reference_new
from payments.selectors import bank_refund_due
from payments.services.ledger import refund_record_locked
from payments.services.status import (
    payment_create,
    payment_lock_with_subject,
    payment_transition_locked,
)


def deposit_bank_expect(*, qualification) -> Payment:
    """A deposit the bidder transfers quoting a fresh reference."""
    terms = payment_kind(PaymentPurpose.DEPOSIT).terms(
        subject=qualification, actor=None, rail=Rail.BANK
    )
    return payment_create(
        purpose=PaymentPurpose.DEPOSIT,
        rail=Rail.BANK,
        subject=qualification,
        terms=terms,
        bank_reference=terms.bank_reference or bank_reference_new(),
    )


def order_bank_pay(*, order, actor: User) -> Payment:
    """Pay by bank transfer: the buyer transfers what is due quoting the order's reference."""
    terms = payment_kind(PaymentPurpose.ORDER).terms(subject=order, actor=actor, rail=Rail.BANK)
    existing = Payment.objects.filter(order=order, rail=Rail.BANK, status=P.PENDING).first()
    if existing is not None:
        return existing
    return payment_create(
        purpose=PaymentPurpose.ORDER,
        rail=Rail.BANK,
        subject=order,
        terms=terms,
        bank_reference=terms.bank_reference or bank_reference_new(),
    )


def _money_input(amount, *, field: str) -> Decimal:
    """A finite amount within the money columns' digits, or a form error (never a 500)."""
    whole_digits = MONEY_MAX_DIGITS - MONEY_DECIMAL_PLACES
    if (
        not isinstance(amount, Decimal)
        or not amount.is_finite()
        or (amount != 0 and amount.adjusted() >= whole_digits)
    ):
        message = _("请输入有效的金额。")
        raise DomainError(message, code=Code.INVALID_AMOUNT, fields={field: [message]})
    return quantize_money(amount)


def _expected_transfer_payment(reference: str) -> Payment | None:
    """The pending bank payment for a reference a payment kind already told its payer
    (``PaymentKind.expected_transfer``), created now; None when no kind knows it."""
    for purpose in settings.PAYMENT_KINDS:
        expected = payment_kind(purpose).expected_transfer(reference)
        if expected is None:
            continue
        subject, terms = expected
        try:
            with transaction.atomic():
                return payment_create(
                    purpose=purpose,
                    rail=Rail.BANK,
                    subject=subject,
                    terms=terms,
                    bank_reference=reference,
                )
        except IntegrityError:  # created at the same moment by another confirmation
            return Payment.objects.filter(rail=Rail.BANK, bank_reference=reference).first()
    return None


def bank_transfer_confirm(*, reference: str, amount: Decimal, actor: User) -> Payment:
    """Staff reconcile a received transfer by its reference; the amount must match. The
    payment's kind hears of the money in the same transaction (an order may complete its
    sale here); the subject is locked before the payment (payments.lock_objects order)."""
    require_platform_staff(actor)
    amount = _money_input(amount, field="amount")
    reference = reference.strip().upper()
    found = Payment.objects.filter(rail=Rail.BANK, bank_reference=reference).first()
    if found is None and reference:
        found = _expected_transfer_payment(reference)
    if found is None:
        raise NotFoundError(
            _("找不到该转账附言对应的待收款项。"),
            code=Code.REFERENCE_UNKNOWN,
            fields={"reference": [_("未知的转账附言。")]},
        )
    with transaction.atomic():
        payment, subject = payment_lock_with_subject(found)
        if payment.status != P.PENDING:
            raise ConflictError(_("该款项已确认或已取消。"), code=Code.ALREADY_RECONCILED)
        if amount != payment.amount:
            message = _("实收金额与应收金额 %(expected)s 不符。") % {"expected": payment.amount}
            raise DomainError(message, code=Code.AMOUNT_MISMATCH, fields={"amount": [message]})
        payment.received_amount = amount
        payment.confirmed_by = actor
        return payment_transition_locked(
            payment=payment,
            subject=subject,
            to_status=P.SUCCEEDED,
            captured=amount,
            actor=actor,
            fields=("received_amount", "confirmed_by"),
        )


def bank_refund_record(*, payment: Payment, reference: str, actor: User) -> Payment:
    """Staff record the transfer that paid a bank deposit back (their bank's reference); the
    payment's kind is told (trading tells the bidder). The amount is everything
    ``selectors.bank_refund_due`` says is owed."""
    require_platform_staff(actor)
    reference = (reference or "").strip()
    if not reference or len(reference) > 64:
        message = _("请填写退款转账的流水号（最多 64 个字符）。")
        raise DomainError(message, fields={"reference": [message]})
    with transaction.atomic():
        payment = payment_lock(payment.pk)
        due = bank_refund_due(payment)
        if due is None:
            raise ConflictError(_("这笔保证金没有待退的款项。"), code=Code.NOTHING_DUE)
        refund_record_locked(payment=payment, amount=due.amount, reference=reference, actor=actor)
        payment_kind(payment.purpose).on_refunded(payment, amount=due.amount, reference=reference)
    return payment
