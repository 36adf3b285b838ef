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
