"""The order page's payment box (issue #14): the bank-transfer notice on the page, in the
e-mail and as a PDF for the buyer side only; the seller sees the status and cannot pay; the
per-method charge limits; the seller payouts page with its breakdown and totals."""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from core.errors import DomainError, NotFoundError
from marketplace.tests.factories import PublishedListingFactory
from payments.models import Payment
from payments.services import bank_transfer_confirm
from trading.models import Order, SellerPayout
from trading.services.orders import buy_now, order_mark_paid

pytestmark = pytest.mark.django_db
D = Decimal

ESCROW = {
    "bank": "招商银行",
    "branch": "长沙分行营业部",
    "account_name": "铁环平台资金监管专户",
    "account_number": "7319 0000 1234 5678",
    "is_demo": False,
}


@pytest.fixture
def escrow(settings):
    settings.ESCROW_ACCOUNT = dict(ESCROW)
    return settings.ESCROW_ACCOUNT


@pytest.fixture
def order(dealer_org, buyer, escrow, django_capture_on_commit_callbacks):
    buyer.email = "buyer@example.com"
    buyer.save(update_fields=["email"])
    listing = PublishedListingFactory(machine__owner=dealer_org, asking_price=D("380000"))
    with django_capture_on_commit_callbacks(execute=True):
        order = buy_now(listing=listing, buyer=buyer.organization, actor=buyer)
    # A deadline whose UTC and Beijing dates differ: 2027-01-05 20:30 UTC = 01-06 04:30 CST.
    Order.objects.filter(pk=order.pk).update(
        payment_deadline=dt.datetime(2027, 1, 5, 20, 30, tzinfo=dt.UTC)
    )
    order.refresh_from_db()
    return order


def _page(client, user, order) -> str:
    client.force_login(user)
    response = client.get(f"/trading/orders/{order.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_buyer_sees_the_escrow_account_reference_amount_and_beijing_deadline(client, buyer, order):
    page = _page(client, buyer, order)
    for value in (
        "招商银行",
        "长沙分行营业部",
        "铁环平台资金监管专户",
        "7319 0000 1234 5678",
        order.bank_reference,
        "¥392,084.00",
        "2027-01-06 04:30",
    ):
        assert value in page, value
    assert "2027-01-05 20:30" not in page
    assert 'id="pay-bank"' in page
    assert f"/trading/orders/{order.pk}/payment-notice.pdf" in page
    assert "演示账户" not in page


def test_demo_escrow_account_is_marked_as_demo(client, buyer, order, settings):
    settings.ESCROW_ACCOUNT = {**ESCROW, "is_demo": True}
    page = _page(client, buyer, order)
    assert "演示账户：以下账户信息仅供演示，请勿向其转账。" in page


def test_payment_due_email_carries_the_transfer_details(order):
    [message] = [m for m in mail.outbox if m.to == ["buyer@example.com"]]
    body = message.body
    for value in (
        "开户银行：招商银行",
        "开户支行：长沙分行营业部",
        "户名：铁环平台资金监管专户",
        "账号：7319 0000 1234 5678",
        f"转账附言（必填）：{order.bank_reference}",
        "应付金额 ¥392,084.00",
    ):
        assert value in body, value
    # The e-mail was written at order time with the deadline then: Beijing time, 7 days on.
    created_deadline = timezone.localtime(
        order.created_at + dt.timedelta(days=7), ZoneInfo("Asia/Shanghai")
    )
    assert created_deadline.strftime("%Y-%m-%d") in body
    assert "（北京时间）" in body
    assert "演示账户" not in body


def test_payment_notice_pdf_for_the_buyer_and_staff_only(
    client, buyer, dealer, staff, other_dealer, order
):
    client.force_login(buyer)
    response = client.get(f"/trading/orders/{order.pk}/payment-notice.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f"payment-notice-{order.bank_reference}.pdf" in response["Content-Disposition"]
    client.force_login(staff)
    assert client.get(f"/trading/orders/{order.pk}/payment-notice.pdf").status_code == 200
    for user in (dealer, other_dealer):
        client.force_login(user)
        assert client.get(f"/trading/orders/{order.pk}/payment-notice.pdf").status_code == 404
    client.logout()
    response = client.get(f"/trading/orders/{order.pk}/payment-notice.pdf")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_payment_notice_pdf_text_has_the_transfer_details(client, buyer, order):
    client.force_login(buyer)
    content = client.get(f"/trading/orders/{order.pk}/payment-notice.pdf").content
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    for value in (order.bank_reference, "7319 0000 1234 5678", "392,084.00", "2027-01-06 04:30"):
        assert value in text, value


def test_seller_sees_status_only_and_cannot_pay(client, dealer, order, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_ironloop"
    page = _page(client, dealer, order)
    assert 'id="seller-status"' in page
    for absent in (
        'id="pay-bank"',
        'id="pay-card"',
        'id="pay-alipay"',
        'id="pay-wechat_pay"',
        f"/trading/orders/{order.pk}/pay/",
        "7319 0000 1234 5678",
        "payment-notice.pdf",
    ):
        assert absent not in page, absent
    for rail in ("bank", "card", "alipay", "wechat_pay"):
        response = client.post(f"/trading/orders/{order.pk}/pay/", {"rail": rail})
        assert response.status_code == 403
    assert Payment.objects.filter(order=order).count() == 0
    order.refresh_from_db()
    assert order.payment_rail == ""


def test_stranger_cannot_pay_or_see_the_order(client, other_dealer, order):
    client.force_login(other_dealer)
    assert client.get(f"/trading/orders/{order.pk}/").status_code == 404
    assert client.post(f"/trading/orders/{order.pk}/pay/", {"rail": "bank"}).status_code == 403
    assert Payment.objects.filter(order=order).count() == 0


def test_buyer_bank_choice_registers_the_transfer(client, buyer, order):
    client.force_login(buyer)
    response = client.post(f"/trading/orders/{order.pk}/pay/", {"rail": "bank"})
    assert response.status_code == 302
    payment = Payment.objects.get(order=order)
    assert (payment.rail, payment.status, payment.bank_reference, payment.amount) == (
        "bank",
        "pending",
        order.bank_reference,
        D("392084.00"),
    )


def test_unknown_rail_is_a_400_and_changes_nothing(client, buyer, order):
    client.force_login(buyer)
    response = client.post(f"/trading/orders/{order.pk}/pay/", {"rail": "bitcoin"})
    assert response.status_code == 400
    assert Payment.objects.filter(order=order).count() == 0


def test_methods_above_their_limit_are_not_offered(client, buyer, order, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_ironloop"
    settings.STRIPE_PAYMENT_METHODS = ["card", "alipay", "wechat_pay"]
    settings.STRIPE_CHARGE_LIMITS = {
        "card": D("999999.99"),
        "alipay": D("50000.00"),
        "wechat_pay": D("392084.00"),  # exactly the amount due: still allowed
    }
    page = _page(client, buyer, order)
    assert 'id="pay-card"' in page
    assert 'id="pay-wechat_pay"' in page
    assert 'id="pay-alipay"' not in page
    assert "金额超过支付宝单笔上限 ¥50,000.00，请使用对公转账。" in page
    response = client.post(f"/trading/orders/{order.pk}/pay/", {"rail": "alipay"}, follow=True)
    assert "金额超过支付宝单笔上限 ¥50,000.00，请使用对公转账。" in response.content.decode()
    assert Payment.objects.filter(order=order).count() == 0


def test_without_stripe_only_bank_transfer_is_offered(client, buyer, order, settings):
    settings.STRIPE_SECRET_KEY = ""
    page = _page(client, buyer, order)
    assert 'id="pay-bank"' in page
    assert 'id="pay-card"' not in page and 'id="pay-alipay"' not in page


def _paid_order(dealer_org, buyer, price):
    listing = PublishedListingFactory(machine__owner=dealer_org, asking_price=price)
    order = buy_now(listing=listing, buyer=buyer.organization, actor=buyer)
    return order_mark_paid(order=order, actor=None)


def test_payouts_page_shows_gross_commission_fees_and_net_with_totals(
    client, dealer, dealer_org, buyer
):
    first = _paid_order(dealer_org, buyer, D("380000"))
    second = _paid_order(dealer_org, buyer, D("45999.99"))
    other_seller = OrganizationFactory(kind=OrganizationKind.DEALER)
    _paid_order(other_seller, buyer, D("100000"))
    rows = {p.order_id: p for p in SellerPayout.objects.filter(seller=dealer_org)}
    assert (
        rows[first.pk].gross,
        rows[first.pk].commission,
        rows[first.pk].fees,
        rows[first.pk].amount,
    ) == (D("380000.00"), D("7600.00"), D("50.00"), D("372350.00"))
    assert (
        rows[second.pk].gross,
        rows[second.pk].commission,
        rows[second.pk].fees,
        rows[second.pk].amount,
    ) == (D("45999.99"), D("920.00"), D("50.00"), D("45029.99"))
    client.force_login(dealer)
    page = client.get("/trading/payouts/").content.decode()
    for value in ("¥7,600.00", "¥372,350.00", "¥920.00", "¥45,029.99"):
        assert value in page, value
    totals = page[page.index('id="payout-totals"') :]
    for value in ("¥425,999.99", "¥8,520.00", "¥100.00", "¥417,379.99", "合计（2 笔）"):
        assert value in totals, value
    assert "¥97,950.00" not in page  # the other seller's net (100,000 − 2,000 − 50)


def test_payouts_are_seen_by_the_seller_members_and_staff_only(
    client, dealer, dealer_org, buyer, staff, other_dealer
):
    order = _paid_order(dealer_org, buyer, D("380000"))
    colleague = member_of(dealer_org, Role.SALES, username="sales")
    for user in (dealer, colleague, staff):
        client.force_login(user)
        assert f'id="payout-{order.pk}"' in client.get("/trading/payouts/").content.decode()
    for user in (buyer, other_dealer):
        client.force_login(user)
        page = client.get("/trading/payouts/").content.decode()
        assert f'id="payout-{order.pk}"' not in page
        assert "暂无结算" in page
    client.logout()
    assert client.get("/trading/payouts/").status_code == 302


def test_staff_reconcile_a_transfer_made_from_the_notice_alone(
    order, staff, django_capture_on_commit_callbacks
):
    """The buyer transferred from the e-mail or PDF without choosing bank transfer on the
    page: the order's reference is still known, so staff confirm it and the sale completes."""
    assert Payment.objects.filter(order=order).count() == 0
    with pytest.raises(DomainError) as mismatch:
        bank_transfer_confirm(reference=order.bank_reference, amount=D("392000.00"), actor=staff)
    assert mismatch.value.code == "amount_mismatch"
    with django_capture_on_commit_callbacks(execute=True):
        payment = bank_transfer_confirm(
            reference=order.bank_reference.lower(), amount=D("392084.00"), actor=staff
        )
    assert (payment.rail, payment.status, payment.received_amount) == (
        "bank",
        "succeeded",
        D("392084.00"),
    )
    assert Payment.objects.filter(order=order).count() == 1
    order.refresh_from_db()
    assert order.status == "paid"
    with pytest.raises(NotFoundError):
        bank_transfer_confirm(reference="ILNOSUCHREF", amount=D("1.00"), actor=staff)
