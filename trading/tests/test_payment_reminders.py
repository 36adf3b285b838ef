"""Payment reminders: once per order, a day before the deadline, with what is outstanding."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from marketplace.models import SaleFormat
from marketplace.tests.factories import PublishedListingFactory
from notifications.models import Notification
from trading.models import Order
from trading.services.orders import buy_now, orders_remind_due
from trading.tasks import trading_sweep_task

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def order(dealer_org, buyer):
    listing = PublishedListingFactory(
        machine__owner=dealer_org,
        sale_format=SaleFormat.FIXED,
        asking_price=D("380000"),
        title="三一SY215C 2019年",
    )
    return buy_now(listing=listing, buyer=buyer.organization, actor=buyer)


def _deadline_in(order, delta):
    deadline = timezone.now() + delta
    Order.objects.filter(pk=order.pk).update(payment_deadline=deadline)
    return deadline


def reminders(user):
    return Notification.objects.filter(recipient=user, kind="trading.payment_reminder")


def test_buyer_is_reminded_once_a_day_before_the_deadline(
    order, buyer, django_capture_on_commit_callbacks
):
    _deadline_in(order, dt.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert orders_remind_due() == 0  # too early
    deadline = _deadline_in(order, dt.timedelta(hours=20))
    with django_capture_on_commit_callbacks(execute=True):
        assert orders_remind_due() == 1
        assert orders_remind_due() == 0  # once
    reminder = reminders(buyer).get()
    assert reminder.title == "付款提醒：三一SY215C 2019年"
    local = timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")
    escrow = settings.ESCROW_ACCOUNT
    assert reminder.body.splitlines() == [
        f"尚需支付 ¥392,084.00，截止 {local}；逾期将按公开规则违约处理。",
        "对公转账请汇至平台监管账户：",
        f"开户银行：{escrow['bank']}",
        f"开户支行：{escrow['branch']}",
        f"户名：{escrow['account_name']}",
        f"账号：{escrow['account_number']}",
        f"转账附言（必填）：{order.bank_reference}",
        "注意：以上为演示账户，请勿向其转账。",  # the default account is the demo one
    ]
    assert reminder.url == f"/trading/orders/{order.pk}/"


def test_no_reminder_for_paid_or_overdue_orders(order, buyer, django_capture_on_commit_callbacks):
    _deadline_in(order, -dt.timedelta(minutes=5))  # overdue: the default sweep's business
    with django_capture_on_commit_callbacks(execute=True):
        assert orders_remind_due() == 0
    _deadline_in(order, dt.timedelta(hours=2))
    Order.objects.filter(pk=order.pk).update(status="paid")
    with django_capture_on_commit_callbacks(execute=True):
        assert orders_remind_due() == 0
    assert not reminders(buyer).exists()


def test_the_sweep_task_sends_reminders(order, buyer, django_capture_on_commit_callbacks):
    _deadline_in(order, dt.timedelta(hours=5))
    with django_capture_on_commit_callbacks(execute=True):
        result = trading_sweep_task.call()
    assert result["payment_reminders"] == 1
    assert reminders(buyer).count() == 1
