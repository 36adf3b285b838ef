"""The one module that talks to Stripe.

Amounts arrive as Decimal and become minor units here only (core.money.to_minor_units).
Keys come from settings (the environment); ``STRIPE_API_BASE`` points the client at a test
server such as localstripe and is never set in production.
"""

from dataclasses import dataclass
from decimal import Decimal

import stripe
from django.conf import settings

from core.errors import DomainError
from core.money import from_minor_units, to_minor_units


class GatewayError(DomainError):
    http_status = 502
    default_code = "payment_gateway_error"


@dataclass(frozen=True)
class IntentResult:
    id: str
    status: str
    client_secret: str
    amount: Decimal
    amount_received: Decimal


def is_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


STRIPE_DEFAULT_API_BASE = "https://api.stripe.com"


def _options() -> dict:
    stripe.api_base = settings.STRIPE_API_BASE or STRIPE_DEFAULT_API_BASE
    return {"api_key": settings.STRIPE_SECRET_KEY}


def _count(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def intent_amount_received(intent: dict) -> int:
    """Minor units a PaymentIntent has taken. Stripe reports ``amount_received``; a test
    server that leaves it out (localstripe) is read from its captured charge: the charge's
    amount less what was refunded (how it releases the uncaptured part of a hold)."""
    if "amount_received" in intent:
        return _count(intent["amount_received"]) or 0
    charge = intent.get("latest_charge")
    if intent.get("status") != "succeeded" or not isinstance(charge, dict):
        return 0
    amount, refunded = _count(charge.get("amount")), _count(charge.get("amount_refunded") or 0)
    if not charge.get("captured") or amount is None or refunded is None:
        return 0
    return max(amount - refunded, 0)


def _result(resource: stripe.PaymentIntent, currency: str) -> IntentResult:
    intent = resource.to_dict()
    received = intent_amount_received(intent)
    return IntentResult(
        id=intent["id"],
        status=intent["status"],
        client_secret=intent.get("client_secret") or "",
        amount=from_minor_units(intent["amount"], currency),
        amount_received=from_minor_units(received, currency),
    )


def _call(function, *args, result_currency: str, **kwargs) -> IntentResult:
    try:
        return _result(function(*args, **kwargs, **_options()), result_currency)
    except stripe.StripeError as exc:
        raise GatewayError(f"Stripe: {exc.user_message or exc}") from exc


def payment_intent_create(
    *,
    amount: Decimal,
    currency: str,
    manual_capture: bool,
    metadata: dict[str, str],
    idempotency_key: str,
    payment_method: str = "",
) -> IntentResult:
    """Create a PaymentIntent; with ``payment_method`` it is confirmed at once (server side)."""
    params: dict = {
        "amount": to_minor_units(amount, currency),
        "currency": currency.lower(),
        "capture_method": "manual" if manual_capture else "automatic",
        "payment_method_types": ["card"],
        "metadata": metadata,
    }
    if payment_method:
        params.update(payment_method=payment_method, confirm=True)
    return _call(
        stripe.PaymentIntent.create,
        result_currency=currency,
        idempotency_key=idempotency_key,
        **params,
    )


def payment_intent_retrieve(*, intent_id: str, currency: str) -> IntentResult:
    return _call(stripe.PaymentIntent.retrieve, intent_id, result_currency=currency)


def payment_intent_capture(*, intent_id: str, amount: Decimal, currency: str) -> IntentResult:
    return _call(
        stripe.PaymentIntent.capture,
        intent_id,
        result_currency=currency,
        amount_to_capture=to_minor_units(amount, currency),
    )


def payment_intent_cancel(*, intent_id: str, currency: str) -> IntentResult:
    return _call(stripe.PaymentIntent.cancel, intent_id, result_currency=currency)


def refund_create(
    *, intent_id: str, amount: Decimal, currency: str, idempotency_key: str = ""
) -> str:
    extra = {"idempotency_key": idempotency_key} if idempotency_key else {}
    try:
        refund = stripe.Refund.create(
            payment_intent=intent_id,
            amount=to_minor_units(amount, currency),
            **extra,
            **_options(),
        )
    except stripe.StripeError as exc:
        raise GatewayError(f"Stripe: {exc.user_message or exc}") from exc
    return refund["id"]


def webhook_signature_verify(*, payload: bytes, signature: str) -> None:
    """Verify the Stripe-Signature header (and its age) over the raw payload; the payload
    itself is parsed and checked by the caller. Raises SignatureVerificationError."""
    stripe.WebhookSignature.verify_header(
        payload,
        signature,
        settings.STRIPE_WEBHOOK_SECRET,
        stripe.Webhook.DEFAULT_TOLERANCE,
    )
