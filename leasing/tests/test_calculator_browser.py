"""The listing page's lease calculator in a real browser: the JS re-prices on change."""

from decimal import Decimal

import pytest

from leasing.engine import QuoteInput, quote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def rent(down_payment: str, method: str = "annuity") -> Decimal:
    return quote(
        QuoteInput(
            price=Decimal(1000000),
            down_payment=Decimal(down_payment),
            term_months=36,
            annual_rate=Decimal("0.06"),
            method=method,
            timing="arrears",
            lease_type="direct",
            buyout_price=Decimal(100),
        )
    ).first_payment


def test_calculator_reprices_every_quote(live_server, new_page, product, listing, no_valuation):
    page = new_page()
    page.goto(f"{live_server.url}/listings/{listing.pk}/")
    card = page.locator("#lease-calculator article.lease-quote")
    assert card.count() == 1
    assert "¥21,295.36" in card.locator(".lease-rent").inner_text()
    assert card.locator(".lease-apr strong").inner_text() == "6.01%"

    page.fill("#lease-calculator input[name=down_payment]", "400000")
    expected = f"¥{rent('400000'):,.2f}"
    page.wait_for_function(
        "text => document.querySelector('#lease-calculator .lease-rent').innerText.includes(text)",
        arg=expected,
    )
    page.select_option("#lease-calculator select[name=method]", "equal_principal")
    first = f"¥{rent('400000', 'equal_principal'):,.2f}"
    page.wait_for_function(
        "text => document.querySelector('#lease-calculator .lease-rent').innerText.includes(text)",
        arg=first,
    )
    page.fill("#lease-calculator input[name=balloon]", "50000")
    page.select_option("#lease-calculator select[name=method]", "annuity")
    page.wait_for_selector("#lease-calculator .lease-note")
    assert "残值预测暂不可用" in page.locator("#lease-calculator .lease-note").first.inner_text()
    page.locator("#lease-calculator details summary").click()
    assert page.locator("#lease-calculator .lease-schedule tbody tr").count() == 36
    header = page.locator("#lease-calculator .lease-schedule thead").inner_text()
    assert "本金" in header and "融资额" not in header
