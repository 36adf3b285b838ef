"""Alipay and WeChat Pay through Stripe PaymentIntents, end to end against a real HTTP server
answering Stripe's documented shapes (tests/fake_stripe_apm.py; localstripe has cards only).

The production code is the same as for Stripe itself: only STRIPE_API_BASE differs. The
order is marked paid by the signed ``payment_intent.succeeded`` webhook only, never by the
return redirect or by anything the browser says."""

import json
import urllib.request
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
import stripe

from core.errors import DomainError
from marketplace.tests.factories import PublishedListingFactory
from payments.models import Payment, PaymentEvent, PaymentStatus, WebhookEvent
from payments.services import order_wallet_pay
from payments.tests.conftest import signed
from trading.models import Order, OrderStatus
from trading.services.orders import buy_now

pytestmark = pytest.mark.django_db
D = Decimal
WEBHOOK = "/payments/webhooks/stripe/"


@pytest.fixture
def order(stripe_apm, dealer_org, buyer):
    listing = PublishedListingFactory(machine__owner=dealer_org, asking_price=D("30000"))
    return buy_now(listing=listing, buyer=buyer.organization, actor=buyer)  # due ¥32,544.00


def remote(intent_id: str) -> dict:
    return stripe.PaymentIntent.retrieve(intent_id, api_key="sk_test_ironloop").to_dict()


def succeed_remotely(base: str, intent_id: str) -> dict:
    """The payer completes the payment at the wallet; the server returns Stripe's event."""
    request = urllib.request.Request(  # noqa: S310 - loopback test server
        f"{base}/_test/payment_intents/{intent_id}/succeed", data=b"", method="POST"
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
        return json.load(response)


def deliver(client, event: dict, *, secret: str | None = None):
    payload, header = signed(event) if secret is None else signed(event, secret=secret)
    return client.post(
        WEBHOOK, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


def test_alipay_redirect_return_and_signed_webhook(client, stripe_apm, buyer, order):
    assert order.amount_due == D("32544.00")
    client.force_login(buyer)
    response = client.post(f"/trading/orders/{order.pk}/pay/", {"rail": "alipay"})
    payment = Payment.objects.get(order=order)
    assert (payment.rail, payment.status, payment.amount) == ("alipay", "pending", D("32544.00"))
    # The buyer is sent to Alipay's page: the intent's next_action.alipay_handle_redirect.url.
    intent = remote(payment.stripe_payment_intent_id)
    assert intent["status"] == "requires_action"
    assert intent["payment_method_types"] == ["alipay"]
    assert intent["amount"] == 3254400 and intent["currency"] == "cny"
    assert intent["metadata"]["payment_id"] == str(payment.pk)
    redirect_url = intent["next_action"]["alipay_handle_redirect"]["url"]
    assert response.status_code == 302 and response["Location"] == redirect_url
    assert payment.action_url == redirect_url
    return_url = intent["next_action"]["alipay_handle_redirect"]["return_url"]
    assert return_url == f"http://testserver/trading/orders/{order.pk}/?returned=alipay"

    # The payer approves; Alipay (the server) sends the browser back to the return_url.
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as back:
        opener.open(redirect_url, timeout=5)
    location = back.value.headers["Location"]
    assert location.startswith(return_url + "&payment_intent=")
    assert parse_qs(urlparse(location).query)["redirect_status"] == ["succeeded"]
    page = client.get(location.removeprefix("http://testserver"))
    assert page.status_code == 200
    assert "支付结果以支付平台的到账通知为准" in page.content.decode()
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT  # the redirect proves nothing
    assert payment.status == PaymentStatus.PENDING

    # Stripe's signed webhook marks the order paid.
    event = {
        "id": "evt_alipay_ok",
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {"object": remote(payment.stripe_payment_intent_id)},
    }
    response = deliver(client, event)
    assert response.status_code == 200
    assert response.json() == {"id": "evt_alipay_ok", "status": "processed", "duplicate": False}
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert (payment.status, payment.captured_amount) == (PaymentStatus.SUCCEEDED, D("32544.00"))
    assert deliver(client, event).json()["duplicate"] is True
    assert PaymentEvent.objects.filter(payment=payment, kind="succeeded").count() == 1


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_wechat_pay_qr_code_then_signed_webhook(client, stripe_apm, buyer, order):
    client.force_login(buyer)
    response = client.post(f"/trading/orders/{order.pk}/pay/", {"rail": "wechat_pay"})
    assert response.status_code == 302
    assert response["Location"] == f"/trading/orders/{order.pk}/"
    payment = Payment.objects.get(order=order)
    intent = remote(payment.stripe_payment_intent_id)
    assert intent["payment_method_types"] == ["wechat_pay"]
    assert intent["status"] == "requires_action"
    qr = intent["next_action"]["wechat_pay_display_qr_code"]
    assert (payment.action_qr_data, payment.action_qr_image) == (qr["data"], qr["image_data_url"])
    assert payment.action_qr_image.startswith("data:image/png;base64,")
    page = client.get(f"/trading/orders/{order.pk}/").content.decode()
    assert 'id="wechat-qr"' in page and qr["image_data_url"] in page
    # Paying twice reuses the intent and its QR code.
    client.post(f"/trading/orders/{order.pk}/pay/", {"rail": "wechat_pay"})
    assert Payment.objects.filter(order=order).count() == 1

    event = succeed_remotely(stripe_apm, payment.stripe_payment_intent_id)
    assert event["type"] == "payment_intent.succeeded"
    # A forged event (wrong secret) is refused and changes nothing.
    response = deliver(client, event, secret="whsec_forged")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_signature"
    assert WebhookEvent.objects.count() == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING

    assert deliver(client, event).json()["status"] == "processed"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED


def test_tampered_payload_with_a_valid_header_changes_nothing(client, stripe_apm, buyer, order):
    payment = order_wallet_pay(order=order, actor=buyer, method="wechat_pay")
    event = succeed_remotely(stripe_apm, payment.stripe_payment_intent_id)
    payload, header = signed(event)
    tampered = payload.replace(b'"amount_received": 3254400', b'"amount_received": 3254401')
    assert tampered != payload
    response = client.post(
        WEBHOOK, data=tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )
    assert response.status_code == 400
    assert WebhookEvent.objects.count() == 0
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT


def test_event_of_another_method_is_rejected(client, stripe_apm, buyer, order):
    """A succeeded intent that names our Alipay payment but is a card intent is stored
    rejected (rail mismatch) and changes nothing."""
    payment = order_wallet_pay(
        order=order, actor=buyer, method="alipay", return_url="https://example.com/back"
    )
    intent = remote(payment.stripe_payment_intent_id)
    intent.update(
        status="succeeded", amount_received=intent["amount"], payment_method_types=["card"]
    )
    event = {"id": "evt_wrong_rail", "type": "payment_intent.succeeded", "data": {"object": intent}}
    assert deliver(client, event).json()["status"] == "rejected"
    assert WebhookEvent.objects.get().reject_reason == "rail_mismatch"
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT


def test_create_succeeded_status_is_not_trusted_for_a_wallet(stripe_apm, buyer, order):
    """Even if the server answered the create call with "succeeded", a wallet payment waits
    for the webhook (only payment_intent.succeeded marks it paid)."""
    payment = order_wallet_pay(
        order=order, actor=buyer, method="alipay", return_url="https://example.com/back"
    )
    succeed_remotely(stripe_apm, payment.stripe_payment_intent_id)
    assert remote(payment.stripe_payment_intent_id)["status"] == "succeeded"
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING


@pytest.mark.parametrize("method", ["alipay", "wechat_pay"])
def test_per_charge_limit_refuses_and_creates_nothing(settings, stripe_apm, buyer, order, method):
    settings.STRIPE_CHARGE_LIMITS = {**settings.STRIPE_CHARGE_LIMITS, method: D("32543.99")}
    with pytest.raises(DomainError) as refused:
        order_wallet_pay(order=order, actor=buyer, method=method, return_url="https://x.test/")
    assert refused.value.code == "card_limit_exceeded"
    assert "单笔上限 ¥32,543.99" in refused.value.message
    assert Payment.objects.filter(order=order).count() == 0
    settings.STRIPE_CHARGE_LIMITS = {**settings.STRIPE_CHARGE_LIMITS, method: D("32544.00")}
    payment = order_wallet_pay(
        order=order, actor=buyer, method=method, return_url="https://x.test/"
    )
    assert payment.rail == method and payment.stripe_payment_intent_id.startswith("pi_")


def test_method_not_enabled_is_refused(settings, stripe_apm, buyer, order):
    settings.STRIPE_PAYMENT_METHODS = ["card"]
    with pytest.raises(DomainError) as refused:
        order_wallet_pay(order=order, actor=buyer, method="alipay", return_url="https://x.test/")
    assert refused.value.code == "method_unavailable"
    assert Payment.objects.filter(order=order).count() == 0


def test_seller_cannot_start_a_wallet_payment(stripe_apm, dealer, order):
    from core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        order_wallet_pay(order=order, actor=dealer, method="wechat_pay")
    assert Payment.objects.filter(order=order).count() == 0


def test_gateway_error_marks_the_payment_failed(stripe_apm, buyer, order):
    """Alipay without a return_url is refused by Stripe (here: the server); the payment is
    failed with Stripe's message and the order stays unpaid."""
    with pytest.raises(DomainError) as refused:
        order_wallet_pay(order=order, actor=buyer, method="alipay", return_url="")
    assert "return_url" in refused.value.message
    payment = Payment.objects.get(order=order)
    assert payment.status == PaymentStatus.FAILED
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT


def test_qr_page_reloads_itself_until_paid(client, stripe_apm, buyer, order):
    client.force_login(buyer)
    client.post(f"/trading/orders/{order.pk}/pay/", {"rail": "wechat_pay"})
    page = client.get(f"/trading/orders/{order.pk}/").content.decode()
    assert "window.location.reload(); }, 10000)" in page
    payment = Payment.objects.get(order=order)
    event = succeed_remotely(stripe_apm, payment.stripe_payment_intent_id)
    assert deliver(client, event).json()["status"] == "processed"
    page = client.get(f"/trading/orders/{order.pk}/").content.decode()
    assert "window.location.reload(); }, 10000)" not in page
    assert 'id="wechat-qr"' not in page
