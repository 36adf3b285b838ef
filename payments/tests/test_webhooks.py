"""Stripe webhooks: signature, storage with a unique event id, replays, out-of-order delivery."""

from decimal import Decimal

import pytest

from marketplace.tests.factories import PublishedListingFactory
from payments.models import Payment, PaymentPurpose, PaymentStatus, WebhookEvent, WebhookEventStatus
from payments.services import webhook_events_retry
from payments.tests.conftest import intent_event, signed
from trading.models import OrderStatus
from trading.services.orders import buy_now

pytestmark = pytest.mark.django_db
URL = "/payments/webhooks/stripe/"


@pytest.fixture
def order(dealer_org, buyer):
    listing = PublishedListingFactory(machine__owner=dealer_org, asking_price=Decimal("100000"))
    return buy_now(listing=listing, buyer=buyer.organization, actor=buyer)


@pytest.fixture
def card_payment(order):
    """A card payment whose intent id was not saved yet (the webhook can win that race)."""
    return Payment.objects.create(
        purpose=PaymentPurpose.ORDER,
        rail="card",
        order=order,
        amount=order.amount_due,
        currency="CNY",
    )


def post(client, event, **kwargs):
    payload, header = signed(event, **kwargs)
    return client.post(URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)


def test_bad_signature_is_refused_and_nothing_stored(client, webhook_secret, card_payment):
    event = intent_event(
        "evt_bad",
        "payment_intent.succeeded",
        intent_id="pi_1",
        amount=10,
        payment_id=card_payment.pk,
    )
    response = post(client, event, secret="whsec_wrong")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_signature"
    assert WebhookEvent.objects.count() == 0
    assert Payment.objects.get(pk=card_payment.pk).status == PaymentStatus.PENDING


def test_succeeded_before_intent_id_saved_marks_order_paid_and_replay_is_harmless(
    client, webhook_secret, card_payment, order
):
    amount = int(order.amount_due * 100)  # 100000 + 8% fee... in fen
    event = intent_event(
        "evt_1",
        "payment_intent.succeeded",
        intent_id="pi_early",
        amount=amount,
        payment_id=card_payment.pk,
    )
    response = post(client, event)
    assert response.status_code == 200
    assert response.json() == {"id": "evt_1", "status": "processed", "duplicate": False}
    payment = Payment.objects.get(pk=card_payment.pk)
    assert (payment.status, payment.stripe_payment_intent_id, payment.captured_amount) == (
        PaymentStatus.SUCCEEDED,
        "pi_early",
        order.amount_due,
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    events_before = list(order.events.values_list("to_status", flat=True))
    # Replay: stored once, processed once, nothing changes.
    replay = post(client, event)
    assert replay.json() == {"id": "evt_1", "status": "processed", "duplicate": True}
    assert WebhookEvent.objects.count() == 1
    assert WebhookEvent.objects.get().attempts == 1
    assert list(order.events.values_list("to_status", flat=True)) == events_before
    # A late "canceled" for the same intent cannot move a succeeded payment back.
    late = intent_event(
        "evt_2", "payment_intent.canceled", intent_id="pi_early", amount=amount, status="canceled"
    )
    assert post(client, late).json()["status"] == "processed"
    assert Payment.objects.get(pk=card_payment.pk).status == PaymentStatus.SUCCEEDED


def test_event_for_unknown_payment_is_deferred_then_applied(
    client, webhook_secret, card_payment, order
):
    amount = int(order.amount_due * 100)
    event = intent_event("evt_3", "payment_intent.succeeded", intent_id="pi_later", amount=amount)
    assert post(client, event).json()["status"] == WebhookEventStatus.DEFERRED
    assert Payment.objects.get(pk=card_payment.pk).status == PaymentStatus.PENDING
    Payment.objects.filter(pk=card_payment.pk).update(stripe_payment_intent_id="pi_later")
    assert webhook_events_retry() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert WebhookEvent.objects.get().status == WebhookEventStatus.PROCESSED


def test_unhandled_event_types_are_stored_and_ignored(client, webhook_secret):
    event = {
        "id": "evt_x",
        "object": "event",
        "type": "customer.created",
        "data": {"object": {"id": "cus_1", "object": "customer"}},
    }
    assert post(client, event).json()["status"] == WebhookEventStatus.IGNORED
    assert WebhookEvent.objects.get().event_type == "customer.created"


# ---------------------------------------------------------------- what an event may apply


@pytest.fixture
def bank_payment(order, buyer):
    from payments.services import order_bank_pay

    return order_bank_pay(order=order, actor=buyer)


def assert_rejected(response, reason, payment):
    """Stored as rejected with its reason; the payment and its order did not change."""
    before = Payment.objects.get(pk=payment.pk)
    assert response.status_code == 200
    assert response.json()["status"] == WebhookEventStatus.REJECTED
    event = WebhookEvent.objects.get(stripe_event_id=response.json()["id"])
    assert (event.status, event.reject_reason) == (WebhookEventStatus.REJECTED, reason)
    assert event.error
    assert (before.status, before.captured_amount, before.stripe_payment_intent_id) == (
        payment.status,
        payment.captured_amount,
        payment.stripe_payment_intent_id,
    )
    assert before.order.status == OrderStatus.AWAITING_PAYMENT


def test_a_card_event_naming_a_bank_transfer_payment_is_rejected(
    client, webhook_secret, bank_payment, order
):
    amount = int(order.amount_due * 100)
    event = intent_event(
        "evt_rail",
        "payment_intent.succeeded",
        intent_id="pi_attacker",
        amount=amount,
        payment_id=bank_payment.pk,
    )
    assert_rejected(post(client, event), "rail_mismatch", bank_payment)
    # A replay or a retry does not apply it either.
    assert post(client, event).json() == {"id": "evt_rail", "status": "rejected", "duplicate": True}
    assert webhook_events_retry() == 0
    assert Payment.objects.get(pk=bank_payment.pk).status == PaymentStatus.PENDING


def test_nothing_received_is_not_a_payment(client, webhook_secret, card_payment, order):
    event = intent_event(
        "evt_zero",
        "payment_intent.succeeded",
        intent_id="pi_zero",
        amount=int(order.amount_due * 100),
        payment_id=card_payment.pk,
    )
    event["data"]["object"]["amount_received"] = 0
    assert_rejected(post(client, event), "amount_mismatch", card_payment)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"amount": 100}, "amount_mismatch"),
        ({"amount": 100, "amount_received": 100}, "amount_mismatch"),
        ({"currency": "usd"}, "currency_mismatch"),
    ],
)
def test_amount_and_currency_must_match(
    client, webhook_secret, card_payment, order, change, reason
):
    event = intent_event(
        "evt_mismatch",
        "payment_intent.succeeded",
        intent_id="pi_m",
        amount=int(order.amount_due * 100),
        payment_id=card_payment.pk,
    )
    event["data"]["object"].update(change)
    assert_rejected(post(client, event), reason, card_payment)


def test_an_event_for_another_intent_is_rejected(client, webhook_secret, card_payment, order):
    Payment.objects.filter(pk=card_payment.pk).update(stripe_payment_intent_id="pi_ours")
    card_payment.refresh_from_db()
    amount = int(order.amount_due * 100)
    event = intent_event(
        "evt_other",
        "payment_intent.succeeded",
        intent_id="pi_theirs",
        amount=amount,
        payment_id=card_payment.pk,
    )
    assert_rejected(post(client, event), "intent_mismatch", card_payment)
    # Our intent, but metadata naming another payment: rejected too.
    event = intent_event(
        "evt_meta",
        "payment_intent.succeeded",
        intent_id="pi_ours",
        amount=amount,
        payment_id=card_payment.pk + 1000,
    )
    assert_rejected(post(client, event), "intent_mismatch", card_payment)


def _raw_post(client, payload: bytes):
    import hashlib
    import hmac
    import time

    from payments.tests.conftest import WEBHOOK_SECRET

    timestamp = int(time.time())
    signature = hmac.new(
        WEBHOOK_SECRET.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return client.post(
        URL, payload, content_type="application/json",
        HTTP_STRIPE_SIGNATURE=f"t={timestamp},v1={signature}",
    )  # fmt: skip


@pytest.mark.parametrize(
    "payload",
    [
        b'{"type": "payment_intent.succeeded", "data": {"object": {}}}',  # no id
        b'{"id": "", "type": "payment_intent.succeeded"}',
        b'{"id": 5, "type": "payment_intent.succeeded"}',
        b"[1]",
        b"true",
        b"not json",
        b'{"id": "evt_nul\\u0000", "type": "x"}',
    ],
)
def test_a_signed_event_that_cannot_be_stored_is_a_400(client, webhook_secret, payload):
    response = _raw_post(client, payload)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_event"
    assert WebhookEvent.objects.count() == 0


@pytest.mark.parametrize(
    "event",
    [
        {"id": "evt_m1", "type": "payment_intent.succeeded"},  # no data.object
        {"id": "evt_m2", "type": "payment_intent.succeeded", "data": {"object": "pi_1"}},
        {"id": "evt_m3", "type": "payment_intent.succeeded", "data": []},
        {
            "id": "evt_m4",
            "type": "payment_intent.succeeded",
            "data": {"object": {"object": "payment_intent", "id": "pi_1", "amount": "10"}},
        },
        {
            "id": "evt_m5",
            "type": "payment_intent.canceled",
            "data": {"object": {"object": "payment_intent", "id": 7, "currency": "cny"}},
        },
        {"id": "evt_m6", "type": 12, "data": {"object": {}}},
    ],
)
def test_a_malformed_event_is_stored_failed_with_its_error(client, webhook_secret, event):
    response = post(client, event)
    assert response.status_code == 200
    assert response.json() == {"id": event["id"], "status": "failed", "duplicate": False}
    stored = WebhookEvent.objects.get()
    assert (stored.status, stored.attempts) == (WebhookEventStatus.FAILED, 1)
    assert stored.error and stored.processed_at is not None
    assert not Payment.objects.exists()
