"""The buyer's buy-now and payment journey and the dealer's sale-to-payout journey, through the
UI only (issue #11): the buyer confirms the all-in price and reserves the machine, chooses bank
transfer and is shown the reference; platform staff confirm the transfer on the reconciliation
page; the order is paid, the listing sold, the dealer sees the payout and confirms collection."""

import re
from decimal import Decimal

import pytest

from core.money import format_cny
from marketplace.models import ListingStatus, SaleRecord
from marketplace.tests.factories import MachineFactory, PublishedListingFactory
from tests.browser import login
from trading.models import Order, OrderStatus, SellerPayout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_buy_now_bank_transfer_confirmed_by_staff_then_payout_and_collection(
    live_server, new_page, dealer, dealer_org, buyer, staff
):
    listing = PublishedListingFactory(
        machine=MachineFactory(owner=dealer_org), asking_price=Decimal("145000.00")
    )
    shopper = new_page()
    login(shopper, live_server, "buyer")
    shopper.goto(f"{live_server.url}/listings/{listing.pk}/")
    shopper.get_by_role("link", name="立即购买").click()
    shopper.wait_for_url(re.compile(r"/buy/$"))
    assert "¥152,685.00" in shopper.locator("main").inner_text()  # price + fee + VAT on fee
    shopper.get_by_role("button", name="确认下单并保留设备").click()
    shopper.wait_for_url(re.compile(r"/trading/orders/\d+/$"))
    order = Order.objects.get(listing=listing)
    assert order.status == OrderStatus.AWAITING_PAYMENT
    listing.refresh_from_db()
    assert listing.status == ListingStatus.RESERVED
    shopper.get_by_role("button", name="对公转账付款").click()
    shopper.wait_for_load_state()
    payment = order.payments.get()
    assert payment.bank_reference in shopper.locator("aside").inner_text()

    reconciler = new_page()
    login(reconciler, live_server, "staff")
    reconciler.goto(f"{live_server.url}/payments/staff/bank-transfers/")
    assert payment.bank_reference in reconciler.locator("table").inner_text()
    reconciler.fill("#id_reference", payment.bank_reference)
    reconciler.fill("#id_amount", str(payment.amount))
    reconciler.get_by_role("button", name="确认到账").click()
    reconciler.wait_for_load_state()
    assert "没有待核对的转账。" in reconciler.locator("table").inner_text()

    shopper.reload()
    assert shopper.locator("#order-status").inner_text() == "已付款，已放行"
    listing.refresh_from_db()
    assert listing.status == ListingStatus.SOLD
    assert SaleRecord.objects.filter(listing=listing, price=Decimal("145000.00")).count() == 1
    assert shopper.get_by_role("button", name="确认买家已提货").count() == 0  # seller's action

    seller = new_page()
    login(seller, live_server, "dealer")
    seller.goto(f"{live_server.url}/trading/payouts/")
    payout = SellerPayout.objects.get(order=order)
    row = seller.locator("tbody tr").filter(has_text=order.bank_reference)
    assert format_cny(payout.amount) in row.inner_text()
    row.get_by_role("link", name=order.bank_reference).click()
    seller.wait_for_url(f"{live_server.url}/trading/orders/{order.pk}/")
    assert seller.get_by_role("button", name="对公转账付款").count() == 0  # buyer's action
    seller.get_by_role("button", name="确认买家已提货").click()
    seller.wait_for_load_state()
    order.refresh_from_db()
    assert order.collected_at is not None
    assert seller.locator("#order-collected").is_visible()
