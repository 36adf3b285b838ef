import hashlib
import hmac
import json
import os
import time

import pytest

WEBHOOK_SECRET = "whsec_test_ironloop"


@pytest.fixture
def webhook_secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    return WEBHOOK_SECRET


@pytest.fixture
def localstripe(settings, webhook_secret):
    """Stripe settings pointing at a running localstripe (STRIPE_TEST_API_BASE)."""
    base = os.environ.get("STRIPE_TEST_API_BASE", "")
    if not base:
        pytest.skip(
            reason="STRIPE_TEST_API_BASE is not set (start localstripe to run Stripe tests)"
        )
    settings.STRIPE_SECRET_KEY = "sk_test_ironloop"
    settings.STRIPE_API_BASE = base
    return base


def signed(
    event: dict, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> tuple[bytes, str]:
    """A payload and Stripe-Signature header built exactly as Stripe builds them."""
    payload = json.dumps(event).encode()
    timestamp = timestamp or int(time.time())
    signature = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return payload, f"t={timestamp},v1={signature}"


def intent_event(
    event_id: str,
    event_type: str,
    *,
    intent_id: str,
    amount: int,
    payment_id=None,
    status="succeeded",
):
    metadata = {"payment_id": str(payment_id)} if payment_id is not None else {}
    return {
        "id": event_id,
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "data": {
            "object": {
                "id": intent_id,
                "object": "payment_intent",
                "amount": amount,
                "amount_received": amount if status == "succeeded" else 0,
                "currency": "cny",
                "status": status,
                "metadata": metadata,
            }
        },
    }
