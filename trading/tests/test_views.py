import dataclasses
from decimal import Decimal

import pytest

from marketplace.models import ListingStatus, SaleFormat
from marketplace.tests.factories import PublishedListingFactory
from payments.models import Payment, PaymentStatus
from trading import rules as rules_module
from trading.models import Order, OrderStatus
from trading.services.auctions import bid_place
from trading.tests.conftest import make_bidder

pytestmark = pytest.mark.django_db
D = Decimal


def test_rules_page_renders_the_configuration_the_services_apply(client, monkeypatch):
    changed = dataclasses.replace(
        rules_module.RULES, soft_close_minutes=7, payment_days=5, deposit_share=D("0.3")
    )
    monkeypatch.setattr(rules_module, "RULES", changed)
    page = client.get("/trading/rules/").content.decode()
    assert "结束前 7 分钟内有人出价" in page
    assert "成交后 5 天内付清" in page
    assert "竞价上限的 30%" in page
    assert "¥999,999.99" in page


def test_listing_page_shows_buy_box_with_all_in_price(client, dealer_org):
    listing = PublishedListingFactory(
        machine__owner=dealer_org, sale_format=SaleFormat.OFFER, asking_price=D("380000")
    )
    page = client.get(f"/listings/{listing.pk}/").content.decode()
    assert 'id="trading-panel"' in page
    assert "¥11,400.00" in page  # 3% buyer fee
    assert "¥392,084.00" in page
    assert f"/trading/listings/{listing.pk}/offer/" in page


def test_buy_now_page_shows_quote_then_creates_order(client, dealer_org, buyer):
    listing = PublishedListingFactory(machine__owner=dealer_org, asking_price=D("40000"))
    client.login(username="buyer", password="pass-1234")
    page = client.get(f"/trading/listings/{listing.pk}/buy/").content.decode()
    for text in ("¥40,000.00", "¥3,200.00", "¥192.00", "¥43,392.00", "付款截止"):
        assert text in page
    assert Order.objects.count() == 0
    response = client.post(f"/trading/listings/{listing.pk}/buy/")
    order = Order.objects.get()
    assert response["Location"] == f"/trading/orders/{order.pk}/"
    listing.refresh_from_db()
    assert listing.status == ListingStatus.RESERVED
    detail = client.get(response["Location"]).content.decode()
    assert "¥43,392.00" in detail
    assert "银行卡付款" not in detail  # no Stripe key: bank transfer only
    client.post(f"/trading/orders/{order.pk}/pay/", {"rail": "bank"})
    assert Payment.objects.get(order=order).bank_reference == order.bank_reference


def test_staff_confirms_bank_transfer_on_the_staff_page(client, dealer_org, buyer, staff):
    from payments.services import order_bank_pay
    from trading.services.orders import buy_now

    listing = PublishedListingFactory(machine__owner=dealer_org, asking_price=D("40000"))
    order = buy_now(listing=listing, buyer=buyer.organization, actor=buyer)
    order_bank_pay(order=order, actor=buyer)
    client.login(username="buyer", password="pass-1234")
    assert client.get("/payments/staff/bank-transfers/").status_code == 302  # not staff
    client.login(username="staff", password="pass-1234")
    page = client.get("/payments/staff/bank-transfers/").content.decode()
    assert order.bank_reference in page
    response = client.post(
        "/payments/staff/bank-transfers/",
        {"reference": order.bank_reference, "amount": "43,392.00"},
        follow=True,
    )
    assert "已确认到账" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Payment.objects.get(order=order).status == PaymentStatus.SUCCEEDED


def test_lot_status_json_never_reveals_other_maxima(client, lot):
    alice, alice_user = make_bidder(lot, "alice")
    bob, bob_user = make_bidder(lot, "bob")
    bid_place(lot=lot, bidder=alice, actor=alice_user, maximum=D("345600"))
    bid_place(lot=lot, bidder=bob, actor=bob_user, maximum=D("120000"))
    client.login(username="bob", password="pass-1234")
    data = client.get(f"/trading/lots/{lot.pk}/status.json").json()
    assert data["current_price"] == "121000.00"
    assert data["you_lead"] is False
    assert data["your_maximum"] == "120000.00"
    assert "345600" not in str(data)
    page = client.get(f"/trading/lots/{lot.pk}/").content.decode()
    assert "345600" not in page and "345,600" not in page


def test_card_extras_show_time_left_for_auctions(rf, lot):
    from trading.panels import card_extras

    extras = card_extras(rf.get("/"), [lot.listing])
    assert extras[lot.listing.pk].startswith('<span class="badge warn">拍卖 · 剩 ')
    assert "小时" in extras[lot.listing.pk]


def test_api_lot_detail_is_public_and_api_buy_now(client, dealer_org, buyer):
    from rest_framework.test import APIClient

    listing = PublishedListingFactory(machine__owner=dealer_org, asking_price=D("40000"))
    api = APIClient()
    api.force_authenticate(buyer)
    response = api.post(f"/api/trading/listings/{listing.pk}/buy-now/", format="json")
    assert response.status_code == 201
    assert response.json()["amount_due"] == "43392.00"
    again = api.post(f"/api/trading/listings/{listing.pk}/buy-now/", format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "listing_reserved"  # the sellability guard names why


def test_staff_sees_trading_data_in_wagtail_admin(client, staff, lot):
    staff.is_superuser = True  # Wagtail admin access is granted through Django permissions
    staff.save(update_fields=["is_superuser"])
    client.login(username="staff", password="pass-1234")
    for url in (
        "/admin/trading/lots/",
        "/admin/trading/offers/",
        "/admin/trading/orders/",
        "/admin/payments/payments/",
        "/admin/payments/webhook-events/",
        "/payments/staff/bank-transfers/",
    ):
        assert client.get(url).status_code == 200, url


def test_order_page_offers_stripe_card_form_for_a_pending_intent(
    client, settings, dealer_org, buyer
):
    from trading.services.orders import buy_now

    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_ironloop"
    listing = PublishedListingFactory(machine__owner=dealer_org, asking_price=D("40000"))
    order = buy_now(listing=listing, buyer=buyer.organization, actor=buyer)
    Payment.objects.create(
        purpose="order",
        rail="card",
        order=order,
        amount=order.amount_due,
        currency="CNY",
        stripe_payment_intent_id="pi_pending",
        client_secret="pi_pending_secret_x",
    )
    client.login(username="buyer", password="pass-1234")
    page = client.get(f"/trading/orders/{order.pk}/").content.decode()
    assert 'data-secret="pi_pending_secret_x"' in page
    assert 'data-key="pk_test_ironloop"' in page
    assert "https://js.stripe.com/v3/" in page


def test_seller_can_start_an_auction_from_the_listing_page(client, dealer_org, dealer):
    from trading.tests.factories import AuctionListingFactory

    listing = AuctionListingFactory(machine__owner=dealer_org)
    client.login(username="dealer", password="pass-1234")
    page = client.get(f"/listings/{listing.pk}/").content.decode()
    assert f"/trading/listings/{listing.pk}/auction/new/" in page
    response = client.post(
        f"/trading/listings/{listing.pk}/auction/new/",
        {
            "starts_at": "2026-01-01 08:00",
            "ends_at": "2099-01-01 08:00",
            "opening_bid": "80000",
            "reserve_price": "60000",
        },
    )
    assert response.status_code == 200
    assert "保留价不能低于起拍价" in response.content.decode()
    assert not listing.lots.exists()
    response = client.post(
        f"/trading/listings/{listing.pk}/auction/new/",
        {
            "starts_at": "2026-01-01 08:00",
            "ends_at": "2099-01-01 08:00",
            "opening_bid": "80000",
            "reserve_price": "120000",
        },
    )
    lot = listing.lots.get()
    assert response["Location"] == f"/trading/lots/{lot.pk}/"
    assert (lot.opening_bid, lot.reserve_price, lot.soft_close_minutes) == (
        D("80000.00"),
        D("120000.00"),
        5,
    )
