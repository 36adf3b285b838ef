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
class NextAction:
    """What the payer must do to complete a wallet intent (Stripe's ``next_action``): go to
    ``redirect_url`` (Alipay), or scan the QR code (WeChat Pay: its ``qr_data`` and Stripe's
    pre-rendered ``qr_image_data_url``)."""

    redirect_url: str = ""
    qr_data: str = ""
    qr_image_data_url: str = ""


@dataclass(frozen=True)
class IntentResult:
    id: str
    status: str
    client_secret: str
    amount: Decimal
    amount_received: Decimal
    next_action: NextAction | None = None


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def intent_next_action(intent: dict) -> NextAction | None:
    """Read the documented next_action shapes: ``alipay_handle_redirect.url`` or
    ``redirect_to_url.url`` (a redirect), ``wechat_pay_display_qr_code`` (``data`` and
    ``image_data_url``). Anything else (or none) is None."""
    action = intent.get("next_action")
    if not isinstance(action, dict):
        return None
    for key in ("alipay_handle_redirect", "redirect_to_url"):
        redirect = action.get(key)
        if isinstance(redirect, dict) and _text(redirect.get("url")).startswith("http"):
            return NextAction(redirect_url=redirect["url"])
    qr = action.get("wechat_pay_display_qr_code")
    if isinstance(qr, dict) and (_text(qr.get("data")) or _text(qr.get("image_data_url"))):
        image = _text(qr.get("image_data_url"))
        return NextAction(
            qr_data=_text(qr.get("data")),
            qr_image_data_url=image if image.startswith("data:image/") else "",
        )
    return None


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
        next_action=intent_next_action(intent),
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
    method: str = "card",
    return_url: str = "",
) -> IntentResult:
    """Create a PaymentIntent for ``method`` (``card``, ``alipay``, ``wechat_pay``).

    A card intent with ``payment_method`` is confirmed at once (server side); without one the
    browser confirms it with Stripe.js. A wallet intent is confirmed here with the wallet's
    payment method data (Alipay returns the payer to ``return_url``; WeChat Pay shows a QR
    code for the web) and comes back ``requires_action`` with its ``next_action``."""
    params: dict = {
        "amount": to_minor_units(amount, currency),
        "currency": currency.lower(),
        "capture_method": "manual" if manual_capture else "automatic",
        "payment_method_types": [method],
        "metadata": metadata,
    }
    if method == "card":
        if payment_method:
            params.update(payment_method=payment_method, confirm=True)
    else:
        params.update(payment_method_data={"type": method}, confirm=True)
        if return_url:
            params["return_url"] = return_url
        if method == "wechat_pay":
            params["payment_method_options"] = {"wechat_pay": {"client": "web"}}
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
