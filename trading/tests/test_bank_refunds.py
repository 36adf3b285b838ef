"""Bank deposits paid back: what is owed, staff recording the transfer, the bidder told."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from core.errors import ConflictError, DomainError, PermissionDeniedError
from notifications.models import Notification
from payments.models import Payment
from payments.selectors import bank_refunds_due
from payments.services import bank_refund_record, bank_transfer_confirm
from trading.models import Lot, Order
from trading.services.auctions import bid_place, lot_close, qualification_request
from trading.services.orders import orders_default_overdue

pytestmark = pytest.mark.django_db
D = Decimal


def _bank_qualified(lot, user, staff, limit):
    qualification = qualification_request(
        lot=lot, bidder=user.organization, actor=user, bidding_limit=D(limit), method="bank"
    )
    payment = Payment.objects.get(qualification=qualification)
    bank_transfer_confirm(reference=payment.bank_reference, amount=payment.amount, actor=staff)
    return payment


def _close(lot):
    Lot.objects.filter(pk=lot.pk).update(ends_at=timezone.now() - dt.timedelta(seconds=1))
    lot_close(lot_id=lot.pk)


@pytest.fixture
def rival(db):
    org = OrganizationFactory(name="株洲竞买公司", kind=OrganizationKind.BUYER)
    return member_of(org, Role.BUYER, username="rival")


def test_the_outbid_bidder_is_owed_the_whole_deposit_and_staff_record_the_transfer(
    lot, buyer, rival, staff, django_capture_on_commit_callbacks
):
    winner_payment = _bank_qualified(lot, buyer, staff, "400000")
    loser_payment = _bank_qualified(lot, rival, staff, "200000")
    bid_place(lot=lot, bidder=rival.organization, actor=rival, maximum=D("180000"))
    bid_place(lot=lot, bidder=buyer.organization, actor=buyer, maximum=D("300000"))
    _close(lot)
    due = bank_refunds_due()
    # The winner's deposit pays for the machine; the rival's ¥50,000 goes back.
    assert [(d.payment.pk, d.amount, d.reason) for d in due] == [
        (loser_payment.pk, D("50000.00"), "released")
    ]
    assert winner_payment.pk not in {d.payment.pk for d in due}
    with pytest.raises(PermissionDeniedError):
        bank_refund_record(payment=loser_payment, reference="HX20261128001", actor=rival)
    with pytest.raises(DomainError) as empty:
        bank_refund_record(payment=loser_payment, reference="  ", actor=staff)
    assert list(empty.value.fields) == ["reference"]
    with django_capture_on_commit_callbacks(execute=True):
        bank_refund_record(payment=loser_payment, reference=" HX20261128001 ", actor=staff)
    loser_payment.refresh_from_db()
    assert (loser_payment.refunded_amount, loser_payment.refund_reference) == (
        D("50000.00"),
        "HX20261128001",
    )
    assert loser_payment.refunded_by == staff and loser_payment.refunded_at is not None
    assert bank_refunds_due() == []
    notice = Notification.objects.get(recipient=rival, kind="deposit_refunded")
    assert notice.body == "¥50,000.00 已转回贵公司账户，转账流水号 HX20261128001。"
    with pytest.raises(ConflictError):
        bank_refund_record(payment=loser_payment, reference="HX20261128002", actor=staff)


def test_after_a_default_what_the_rule_does_not_forfeit_is_owed(
    lot, buyer, staff, django_capture_on_commit_callbacks
):
    payment = _bank_qualified(lot, buyer, staff, "400000")
    bid_place(lot=lot, bidder=buyer.organization, actor=buyer, maximum=D("300000"))
    _close(lot)
    assert bank_refunds_due() == []  # applied to the order while the order is open
    Order.objects.filter(lot=lot).update(payment_deadline=timezone.now() - dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        orders_default_overdue()
    due = bank_refunds_due()
    assert [(d.payment.pk, d.amount, d.reason) for d in due] == [
        (payment.pk, D("95000.00"), "default")
    ]


def test_staff_page_lists_and_records_refunds(client, lot, buyer, rival, staff):
    loser_payment = _bank_qualified(lot, rival, staff, "200000")
    _bank_qualified(lot, buyer, staff, "400000")
    bid_place(lot=lot, bidder=rival.organization, actor=rival, maximum=D("180000"))
    bid_place(lot=lot, bidder=buyer.organization, actor=buyer, maximum=D("300000"))
    _close(lot)
    client.force_login(rival)
    assert client.get("/payments/staff/bank-refunds/").status_code == 302  # to the login
    client.force_login(staff)
    page = client.get("/payments/staff/bank-refunds/").content.decode()
    assert "株洲竞买公司" in page and "¥50,000.00" in page
    response = client.post(
        "/payments/staff/bank-refunds/",
        {"payment": loser_payment.pk, "reference": "HX1"},
        follow=True,
    )
    body = response.content.decode()
    assert "已登记退款。" in body and "没有待退的保证金。" in body
    loser_payment.refresh_from_db()
    assert loser_payment.refund_reference == "HX1"
