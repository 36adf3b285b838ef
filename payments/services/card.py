"""The card rail: Stripe PaymentIntents for deposits (manual-capture holds) and orders.

Stripe is called outside database transactions (a row is committed first, the intent id
saved after), so a webhook can arrive before the intent id is stored: the event carries our
payment id in its metadata, and an event that finds no payment is kept as ``deferred`` and
retried. Follow-ups decided in a transaction (capture, cancel, refund) run after its commit.
"""

import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_platform_staff
from core.errors import ConflictError, DomainError
from payments import stripe_gateway
from payments.errors import PaymentsErrorCode
from payments.kinds import payment_kind
from payments.lock_objects import payment_lock
from payments.methods import require_stripe_method
from payments.models import DepositEntryKind, Payment, PaymentPurpose
from payments.models import PaymentRailChoice as Rail
from payments.models import PaymentStatus as P
from payments.selectors import refund_due
from payments.services.ledger import refund_record_locked
from payments.services.status import STRIPE_STATUS, payment_create, payment_set_status
from payments.services.webhooks import webhook_events_retry

logger = logging.getLogger(__name__)


def card_enabled() -> bool:
    return stripe_gateway.is_enabled()


def _card_start(
    *,
    payment: Payment,
    manual_capture: bool,
    payment_method: str,
    method: str = Rail.CARD,
    return_url: str = "",
) -> Payment:
    """Create the payment's PaymentIntent and record what Stripe answered: the intent id,
    the client secret, a wallet's next action (redirect or QR code), and the status. A
    wallet intent waits ``requires_action``: only the signed webhook marks it paid."""
    try:
        result = stripe_gateway.payment_intent_create(
            amount=payment.amount,
            currency=payment.currency,
            manual_capture=manual_capture,
            metadata={"payment_id": str(payment.pk), "purpose": payment.purpose},
            idempotency_key=f"ironloop-payment-{payment.pk}",
            payment_method=payment_method,
            method=method,
            return_url=return_url,
        )
    except stripe_gateway.GatewayError as exc:
        payment_set_status(payment=payment, status=P.FAILED, error=exc.message)
        raise
    action = result.next_action or stripe_gateway.NextAction()
    Payment.objects.filter(pk=payment.pk).update(
        stripe_payment_intent_id=result.id,
        client_secret=result.client_secret,
        action_url=action.redirect_url[:2000],
        action_qr_data=action.qr_data[:2000],
        action_qr_image=action.qr_image_data_url,
        updated_at=timezone.now(),
    )
    payment.refresh_from_db()
    status = STRIPE_STATUS.get(result.status, P.PENDING)
    if method != Rail.CARD and status == P.SUCCEEDED:
        # A wallet payment is recorded as paid by its signed webhook only
        # (payment_intent.succeeded), never by what the create call or a redirect says.
        status = P.PENDING
    payment = payment_set_status(payment=payment, status=status, captured=result.amount_received)
    webhook_events_retry(intent_id=result.id)
    payment.refresh_from_db()
    return payment


def deposit_card_hold(*, qualification, payment_method: str = "") -> Payment:
    """An authorisation hold (manual capture) for a deposit, of the amount its kind asks."""
    terms = payment_kind(PaymentPurpose.DEPOSIT).terms(
        subject=qualification, actor=None, rail=Rail.CARD
    )
    payment = payment_create(
        purpose=PaymentPurpose.DEPOSIT, rail=Rail.CARD, subject=qualification, terms=terms
    )
    return _card_start(payment=payment, manual_capture=True, payment_method=payment_method)


def order_card_pay(*, order, actor: User, payment_method: str = "") -> Payment:
    """Start (or reuse) a card PaymentIntent for what the order's kind says is due."""
    terms = payment_kind(PaymentPurpose.ORDER).terms(subject=order, actor=actor, rail=Rail.CARD)
    if not card_enabled():
        raise DomainError(
            _("暂未开通银行卡支付，请使用对公转账。"), code=PaymentsErrorCode.CARD_UNAVAILABLE
        )
    require_stripe_method(Rail.CARD, terms.amount)
    existing = Payment.objects.filter(
        order=order, rail=Rail.CARD, purpose=PaymentPurpose.ORDER, status=P.PENDING
    ).first()
    if existing is not None and existing.stripe_payment_intent_id and not payment_method:
        return existing
    payment = payment_create(
        purpose=PaymentPurpose.ORDER, rail=Rail.CARD, subject=order, terms=terms
    )
    return _card_start(payment=payment, manual_capture=False, payment_method=payment_method)


WALLET_RAILS = (Rail.ALIPAY, Rail.WECHAT_PAY)


def order_wallet_pay(*, order, actor: User, method: str, return_url: str = "") -> Payment:
    """Pay an order with Alipay or WeChat Pay through a Stripe PaymentIntent.

    The buyer is refused (nothing created) when the method is not offered or the amount is
    above its per-charge limit. The intent is confirmed here and comes back
    ``requires_action``: the payment keeps Stripe's next action (the Alipay redirect, or the
    WeChat Pay QR code) for the order page, and stays pending until the signed
    ``payment_intent.succeeded`` webhook arrives. A pending payment of the same method with
    its next action is reused, so reloading or clicking twice makes one intent."""
    if method not in WALLET_RAILS:
        raise DomainError(
            _("暂未开通该支付方式，请使用对公转账。"), code=PaymentsErrorCode.METHOD_UNAVAILABLE
        )
    terms = payment_kind(PaymentPurpose.ORDER).terms(subject=order, actor=actor, rail=method)
    require_stripe_method(method, terms.amount)
    existing = Payment.objects.filter(
        order=order, rail=method, purpose=PaymentPurpose.ORDER, status=P.PENDING
    ).first()
    if existing is not None and (existing.action_url or existing.action_qr_data):
        return existing
    payment = payment_create(purpose=PaymentPurpose.ORDER, rail=method, subject=order, terms=terms)
    return _card_start(
        payment=payment,
        manual_capture=False,
        payment_method="",
        method=method,
        return_url=return_url,
    )


def after_commit_safely(function, **kwargs) -> None:
    """Run a Stripe follow-up after the commit; a refusal is logged on the payment."""

    def run() -> None:
        try:
            function(**kwargs)
        except DomainError as exc:
            logger.warning("payment follow-up %s failed: %s", function.__name__, exc)
            Payment.objects.filter(pk=kwargs["payment_id"]).update(error=str(exc))

    transaction.on_commit(run)


def cancel_hold(*, payment_id: int) -> None:
    payment = Payment.objects.get(pk=payment_id)
    result = stripe_gateway.payment_intent_cancel(
        intent_id=payment.stripe_payment_intent_id, currency=payment.currency
    )
    payment_set_status(payment=payment, status=STRIPE_STATUS.get(result.status, P.CANCELLED))


def capture_hold(*, payment_id: int, amount: Decimal) -> None:
    """Capture ``amount`` of a hold (what the order uses); Stripe releases the rest."""
    payment = Payment.objects.get(pk=payment_id)
    result = stripe_gateway.payment_intent_capture(
        intent_id=payment.stripe_payment_intent_id, amount=amount, currency=payment.currency
    )
    payment_set_status(
        payment=payment,
        status=STRIPE_STATUS.get(result.status, P.PENDING),
        captured=result.amount_received,
    )


def refund(*, payment_id: int, entry_id: int) -> None:
    """Pay a card deposit's ``refund_due`` entry back through Stripe and record it."""
    payment = Payment.objects.get(pk=payment_id)
    due = refund_due(payment)
    if due is None:
        return
    stripe_gateway.refund_create(
        intent_id=payment.stripe_payment_intent_id,
        amount=due.amount,
        currency=payment.currency,
        idempotency_key=f"ironloop-refund-{payment_id}-{entry_id}",
    )
    with transaction.atomic():
        payment = payment_lock(payment_id)
        due = refund_due(payment)
        if due is None:
            return
        refund_record_locked(payment=payment, amount=due.amount, reference="stripe", actor=None)


def deposit_card_refund_retry(*, payment: Payment, actor: User) -> None:
    """Staff ask Stripe again for a card deposit refund that failed."""
    require_platform_staff(actor)
    payment = Payment.objects.get(pk=payment.pk)
    if payment.rail != Rail.CARD or refund_due(payment) is None:
        raise ConflictError(_("这笔保证金没有待退的款项。"), code=PaymentsErrorCode.NOTHING_DUE)
    entry = payment.deposit_entries.filter(kind=DepositEntryKind.REFUND_DUE).last()
    refund(payment_id=payment.pk, entry_id=entry.pk)
