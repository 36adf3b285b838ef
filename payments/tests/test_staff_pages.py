"""Staff payment pages: bad input is a form error (400) that changes nothing; the refunds
page shows every amount owed back with how long it has been owed."""

import datetime as dt
from contextlib import nullcontext
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.errors import DomainError
from marketplace.tests.factories import PublishedListingFactory
from payments.models import DepositEntry, Payment, PaymentStatus
from payments.services import bank_transfer_confirm, order_bank_pay
from trading.services.orders import buy_now

pytestmark = pytest.mark.django_db
D = Decimal
TRANSFERS = "/payments/staff/bank-transfers/"
REFUNDS = "/payments/staff/bank-refunds/"
BAD_AMOUNTS = ["Infinity", "-Infinity", "sNaN", "NaN", "1e999999", "1e12", "abc", "-5", ""]


@pytest.fixture
def bank_payment(dealer_org, buyer):
    listing = PublishedListingFactory(machine__owner=dealer_org, asking_price=D("40000"))
    order = buy_now(listing=listing, buyer=buyer.organization, actor=buyer)
    return order_bank_pay(order=order, actor=buyer)


@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_bank_transfer_amounts_that_are_not_money_are_a_form_error(
    client, staff, bank_payment, amount
):
    client.force_login(staff)
    response = client.post(TRANSFERS, {"reference": bank_payment.bank_reference, "amount": amount})
    assert response.status_code == 400
    assert bank_payment.bank_reference in response.content.decode()  # the page, with the error
    payment = Payment.objects.get(pk=bank_payment.pk)
    assert (payment.status, payment.received_amount) == (PaymentStatus.PENDING, None)


@pytest.mark.parametrize("amount", ["Infinity", "sNaN", "NaN", "1e999999"])
def test_the_service_refuses_non_finite_amounts(staff, bank_payment, amount):
    with pytest.raises(DomainError) as refused:
        bank_transfer_confirm(
            reference=bank_payment.bank_reference, amount=Decimal(amount), actor=staff
        )
    assert list(refused.value.fields) == ["amount"]
    assert Payment.objects.get(pk=bank_payment.pk).status == PaymentStatus.PENDING


@pytest.mark.parametrize("amount", ["Infinity", "sNaN", "1e999999"])
def test_the_api_refuses_non_finite_amounts(staff, bank_payment, amount):
    api = APIClient()
    api.force_authenticate(staff)
    response = api.post(
        "/api/payments/bank-transfers/confirm/",
        {"reference": bank_payment.bank_reference, "amount": amount},
        format="json",
    )
    assert response.status_code == 400
    assert Payment.objects.get(pk=bank_payment.pk).status == PaymentStatus.PENDING


@pytest.mark.parametrize("value", ["abc", "", "-1", "1.5", "99999999999999999999999"])
def test_a_bad_payment_id_on_the_refunds_page_is_a_400(client, staff, value):
    client.force_login(staff)
    response = client.post(REFUNDS, {"payment": value, "reference": "HX1"})
    assert response.status_code == 400
    assert not DepositEntry.objects.exists()


def test_the_refunds_page_shows_how_long_each_amount_has_been_owed(client, staff, dealer_org):
    from payments.tests.test_deposits import World

    world = World(dealer_org, staff)
    _org, _user, payment = world.bidder("200000")
    world.bidder("400000")
    world.close(lambda execute: nullcontext())
    DepositEntry.objects.filter(payment=payment).update(
        created_at=timezone.now() - dt.timedelta(days=12)
    )
    client.force_login(staff)
    page = client.get(REFUNDS).content.decode()
    rows = [row for row in page.split("<tr>") if "¥50,000.00" in row or "¥100,000.00" in row]
    assert len(rows) == 2
    assert "<td>12</td>" in rows[0] and "¥50,000.00" in rows[0]  # longest owed first
    assert "<td>0</td>" in rows[1] and "¥100,000.00" in rows[1]
    assert "共 2 笔待退，合计 ¥150,000.00。" in page


def test_staff_see_deposit_entries_and_webhook_rejections_in_the_admin(client, staff):
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    client.force_login(staff)
    for url in (
        "/admin/payments/deposit-entries/",
        "/admin/payments/webhook-events/?reject_reason=rail_mismatch",
    ):
        assert client.get(url).status_code == 200, url
