"""The order page's payment box in a real browser on a phone and a desktop (issue #14): the
buyer reads the escrow account, reference, amount and Beijing deadline and downloads the
notice PDF; the seller sees the status only; neither page scrolls sideways."""

import re
from decimal import Decimal

import pytest

from marketplace.tests.factories import MachineFactory, PublishedListingFactory
from tests.browser import login
from trading.services.orders import buy_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


@pytest.mark.parametrize(
    ("locale", "width", "labels"),
    [
        ("zh-CN", 390, ("收款户名", "开户银行", "开户支行", "账号", "转账附言（必填）")),
        ("en", 1366, ("Account name", "Bank", "Branch", "Account number", "Transfer reference")),
    ],
)
def test_buyer_reads_the_transfer_details_and_the_seller_only_the_status(
    live_server, browser, settings, dealer, dealer_org, buyer, locale, width, labels
):
    settings.ESCROW_ACCOUNT = {
        "bank": "招商银行",
        "branch": "长沙分行营业部",
        "account_name": "铁环平台资金监管专户",
        "account_number": "7319 0000 1234 5678",
        "is_demo": False,
    }
    listing = PublishedListingFactory(
        machine=MachineFactory(owner=dealer_org), asking_price=Decimal("145000.00")
    )
    order = buy_now(listing=listing, buyer=buyer.organization, actor=buyer)
    url = f"{live_server.url}/trading/orders/{order.pk}/"
    contexts = []
    try:
        for username in ("buyer", "dealer"):
            context = browser.new_context(
                locale=locale,
                viewport={"width": width, "height": 844},
                extra_http_headers={"Accept-Language": locale},
            )
            context.set_default_timeout(10_000)
            contexts.append(context)
            page = context.new_page()
            login(page, live_server, username)
            page.goto(url)
            _no_sideways_scroll(page)
            aside = page.locator("aside").inner_text()
            if username == "buyer":
                for text in (*labels, "7319 0000 1234 5678", order.bank_reference):
                    assert text in aside, text
                assert "¥152,685.00" in aside
                assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d ?[（(]", aside)
                assert page.locator("#pay-bank").is_visible()
                pdf = page.request.get(f"{url}payment-notice.pdf")
                assert pdf.status == 200
                assert pdf.headers["content-type"] == "application/pdf"
            else:
                assert page.locator("#seller-status").is_visible()
                assert page.locator("#pay-bank").count() == 0
                assert "7319 0000 1234 5678" not in aside
                assert page.request.get(f"{url}payment-notice.pdf").status == 404
    finally:
        for context in contexts:
            context.close()
