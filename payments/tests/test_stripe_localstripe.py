"""Card payments against localstripe (the Stripe test server used in CI)."""

import datetime as dt
from decimal import Decimal

import pytest
import stripe
from django.utils import timezone

from marketplace.tests.factories import PublishedListingFactory
from payments.models import Payment, PaymentStatus
from payments.services import order_card_pay
from trading.models import BidderQualification, Lot, Order, OrderStatus, QualificationStatus
from trading.services.auctions import bid_place, lot_close, qualification_request
from trading.services.orders import buy_now
from trading.tests.conftest import make_bidder
from trading.tests.factories import AuctionListingFactory, LotFactory

pytestmark = pytest.mark.django_db
D = Decimal


def remote(intent_id):
    return stripe.PaymentIntent.retrieve(intent_id, api_key="sk_test_ironloop")


def test_order_card_payment_succeeds(
    localstripe, dealer_org, buyer, django_capture_on_commit_callbacks
):
    listing = PublishedListingFactory(machine__owner=dealer_org, asking_price=D("100000"))
    order = buy_now(listing=listing, buyer=buyer.organization, actor=buyer)
    with django_capture_on_commit_callbacks(execute=True):
        payment = order_card_pay(order=order, actor=buyer, payment_method="pm_card_visa")
    assert payment.status == PaymentStatus.SUCCEEDED
    intent = remote(payment.stripe_payment_intent_id)
    assert intent["amount"] == 10530000  # ¥105,300.00 in fen: price + 5% fee + 6% VAT on the fee
    assert intent["capture_method"] == "automatic"
    assert intent["metadata"]["payment_id"] == str(payment.pk)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_declined_card_leaves_order_unpaid(localstripe, dealer_org, buyer):
    from core.errors import DomainError

    listing = PublishedListingFactory(machine__owner=dealer_org, asking_price=D("100000"))
    order = buy_now(listing=listing, buyer=buyer.organization, actor=buyer)
    with pytest.raises(DomainError):
        order_card_pay(order=order, actor=buyer, payment_method="pm_card_chargeCustomerFail")
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    payment = Payment.objects.get(order=order)
    assert payment.status == PaymentStatus.FAILED
    assert "declined" in payment.error


def test_deposit_holds_released_for_loser_and_captured_for_winner(
    localstripe, dealer_org, django_capture_on_commit_callbacks
):
    lot = LotFactory(listing=AuctionListingFactory(machine__owner=dealer_org))
    winner, winner_user = make_bidder(lot, "cardwin")
    loser, loser_user = make_bidder(lot, "cardlose")
    BidderQualification.objects.filter(lot=lot).delete()
    for org, user in ((winner, winner_user), (loser, loser_user)):
        qualification = qualification_request(
            lot=lot,
            bidder=org,
            actor=user,
            bidding_limit=D("400000"),
            method="card",
            payment_method="pm_card_visa",
        )
        assert qualification.status == QualificationStatus.ACTIVE
        assert qualification.deposit_amount == D("100000.00")
    holds = {p.qualification.bidder_id: p for p in Payment.objects.select_related("qualification")}
    assert {p.status for p in holds.values()} == {PaymentStatus.AUTHORIZED}
    assert remote(holds[winner.pk].stripe_payment_intent_id)["status"] == "requires_capture"
    bid_place(lot=lot, bidder=winner, actor=winner_user, maximum=D("300000"))
    bid_place(lot=lot, bidder=loser, actor=loser_user, maximum=D("200000"))
    Lot.objects.filter(pk=lot.pk).update(ends_at=timezone.now() - dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert lot_close(lot_id=lot.pk) == "sold"
    loser_hold = Payment.objects.get(pk=holds[loser.pk].pk)
    winner_hold = Payment.objects.get(pk=holds[winner.pk].pk)
    assert loser_hold.status == PaymentStatus.CANCELLED
    assert remote(loser_hold.stripe_payment_intent_id)["status"] == "canceled"
    assert (winner_hold.status, winner_hold.captured_amount) == (
        PaymentStatus.SUCCEEDED,
        D("100000.00"),
    )
    assert remote(winner_hold.stripe_payment_intent_id)["status"] == "succeeded"
    order = Order.objects.get(lot=lot)
    assert order.deposit_applied == D("100000.00")
    assert order.amount_due == order.total - D("100000.00")


@pytest.mark.django_db(transaction=True)
def test_localstripe_delivers_a_signed_webhook_and_a_replay_is_harmless(
    localstripe, live_server, dealer_org, buyer, client
):
    """localstripe signs and posts payment_intent.succeeded to the live endpoint; posting the
    same event again (a replay) is stored once and processed once."""
    import base64
    import json
    import time
    import urllib.parse
    import urllib.request

    from payments.models import WebhookEvent
    from payments.tests.conftest import WEBHOOK_SECRET, signed

    form = urllib.parse.urlencode(
        {
            "url": f"{live_server.url}/payments/webhooks/stripe/",
            "secret": WEBHOOK_SECRET,
            "events[]": ["payment_intent.succeeded"],
        },
        doseq=True,
    ).encode()
    request = urllib.request.Request(f"{localstripe}/_config/webhooks/ironloop-test", data=form)  # noqa: S310 - local test server
    request.add_header("Authorization", "Basic " + base64.b64encode(b"sk_test_ironloop:").decode())
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - local test server
        assert response.status == 200
    listing = PublishedListingFactory(machine__owner=dealer_org, asking_price=D("100000"))
    order = buy_now(listing=listing, buyer=buyer.organization, actor=buyer)
    payment = order_card_pay(order=order, actor=buyer, payment_method="pm_card_visa")
    deadline = time.monotonic() + 10
    while not WebhookEvent.objects.filter(
        payment_intent_id=payment.stripe_payment_intent_id
    ).exists():
        assert time.monotonic() < deadline, "localstripe did not deliver the webhook"
        time.sleep(0.2)
    event = WebhookEvent.objects.get(payment_intent_id=payment.stripe_payment_intent_id)
    assert (event.event_type, event.status, event.attempts) == (
        "payment_intent.succeeded",
        "processed",
        1,
    )
    payload, header = signed(event.payload)
    replay = client.post(
        "/payments/webhooks/stripe/",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
    assert json.loads(replay.content)["duplicate"] is True
    assert (
        WebhookEvent.objects.filter(payment_intent_id=payment.stripe_payment_intent_id).count() == 1
    )
    event.refresh_from_db()
    assert event.attempts == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.events.filter(to_status="paid").count() == 1


def test_a_winners_hold_is_captured_for_the_order_total_only(
    localstripe, dealer_org, staff, django_capture_on_commit_callbacks
):
    """¥250,000 held, won at ¥91,000: Stripe captures ¥95,823 and releases the rest."""
    from payments.selectors import deposit_totals, refunds_due
    from payments.tests.test_deposits import World

    world = World(dealer_org, staff)
    org, user, hold = world.bidder("1000000", method="card")
    bid_place(lot=world.lot, bidder=org, actor=user, maximum=D("91000"))
    world.close(django_capture_on_commit_callbacks)
    hold.refresh_from_db()
    assert (hold.status, hold.captured_amount) == (PaymentStatus.SUCCEEDED, D("95823.00"))
    intent = remote(hold.stripe_payment_intent_id)
    assert intent["status"] == "succeeded"
    charge = intent["latest_charge"]  # localstripe: the whole charge, less what it released
    assert (charge["amount"], charge["amount_refunded"]) == (25000000, 15417700)
    totals = deposit_totals(hold)
    assert (totals.applied, totals.released, totals.owed) == (D("95823.00"), D("154177.00"), 0)
    assert refunds_due() == []


def test_card_chosen_on_the_order_page_starts_an_intent_for_stripe_js(
    client, localstripe, settings, dealer_org, buyer
):
    """The order page's card choice (beside bank, Alipay and WeChat Pay) creates a card
    PaymentIntent on the Stripe-compatible server and shows the card form for Stripe.js."""
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_ironloop"
    settings.STRIPE_PAYMENT_METHODS = ["card", "alipay", "wechat_pay"]
    listing = PublishedListingFactory(machine__owner=dealer_org, asking_price=D("100000"))
    order = buy_now(listing=listing, buyer=buyer.organization, actor=buyer)
    client.force_login(buyer)
    page = client.get(f"/trading/orders/{order.pk}/").content.decode()
    assert 'id="pay-bank"' in page and 'id="pay-card"' in page
    # ¥105,300.00 is above the wallets' default ¥50,000.00 per-charge limit: bank or card only.
    assert 'id="pay-alipay"' not in page and 'id="pay-wechat_pay"' not in page
    assert "金额超过微信支付单笔上限 ¥50,000.00，请使用对公转账。" in page
    response = client.post(f"/trading/orders/{order.pk}/pay/", {"rail": "card"})
    assert response.status_code == 302
    payment = Payment.objects.get(order=order)
    assert (payment.rail, payment.status) == ("card", PaymentStatus.PENDING)
    intent = remote(payment.stripe_payment_intent_id)
    assert (intent["amount"], intent["status"]) == (10530000, "requires_payment_method")
    page = client.get(f"/trading/orders/{order.pk}/").content.decode()
    assert 'id="card-form"' in page
    assert f'data-secret="{payment.client_secret}"' in page
    order.refresh_from_db()
    assert (order.status, order.payment_rail) == (OrderStatus.AWAITING_PAYMENT, "card")
