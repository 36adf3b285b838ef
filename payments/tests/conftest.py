import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

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


FAKE_APM_SERVER = Path(__file__).resolve().parents[2] / "tests" / "fake_stripe_apm.py"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def fake_stripe_apm_base():
    """A real HTTP process answering Stripe's PaymentIntent API for alipay and wechat_pay
    (tests/fake_stripe_apm.py), on a free loopback port for the session; or the server at
    STRIPE_TEST_APM_BASE when the caller runs one."""
    base = os.environ.get("STRIPE_TEST_APM_BASE", "")
    if base:
        yield base
        return
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own test server, fixed arguments
        [sys.executable, str(FAKE_APM_SERVER), str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/v1/payment_intents/pi_none", timeout=1)  # noqa: S310
            except urllib.error.HTTPError:
                break  # any HTTP answer: it is up
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("tests/fake_stripe_apm.py did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=5)


@pytest.fixture
def stripe_apm(settings, webhook_secret, fake_stripe_apm_base):
    """Stripe settings pointing at the wallet test server: only STRIPE_API_BASE differs
    from production."""
    url = f"{fake_stripe_apm_base}/_test/reset"
    reset = urllib.request.Request(url, data=b"", method="POST")  # noqa: S310 - loopback
    urllib.request.urlopen(reset, timeout=5).close()  # noqa: S310 - loopback test server
    settings.STRIPE_SECRET_KEY = "sk_test_ironloop"
    settings.STRIPE_API_BASE = fake_stripe_apm_base
    settings.STRIPE_PAYMENT_METHODS = ["card", "alipay", "wechat_pay"]
    return fake_stripe_apm_base


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
