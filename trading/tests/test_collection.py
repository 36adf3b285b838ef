"""After payment: free storage for eight business days, a daily fee, abandonment at 60 days."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import ConflictError, PermissionDeniedError
from marketplace.models import SaleFormat
from marketplace.tests.factories import PublishedListingFactory
from notifications.models import Notification
from trading.models import Order, OrderStatus
from trading.rules import current_rules
from trading.selectors import order_storage
from trading.services.orders import buy_now, order_mark_collected, orders_abandon_due
from trading.tasks import trading_sweep_task

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.mark.parametrize(
    ("paid_on", "starts_on"),
    [
        # Paid on a Monday: Tue-Fri and Mon-Thu are the eight free business days.
        (dt.date(2026, 11, 2), dt.date(2026, 11, 13)),
        # Paid on a Friday: Mon-Fri and Mon-Wed; charged from Thursday.
        (dt.date(2026, 11, 6), dt.date(2026, 11, 19)),
        # Paid on a Saturday: the weekend does not count either.
        (dt.date(2026, 11, 7), dt.date(2026, 11, 19)),
    ],
)
def test_storage_starts_after_eight_business_days(paid_on, starts_on):
    rules = current_rules()
    assert rules.storage_starts_on(paid_on) == starts_on
    assert rules.storage_days(paid_on, starts_on - dt.timedelta(days=1)) == 0
    assert rules.storage_days(paid_on, starts_on) == 1
    assert rules.storage_fee_for(paid_on, starts_on + dt.timedelta(days=4)) == D("1000.00")
    assert rules.abandoned_on(paid_on) == paid_on + dt.timedelta(days=60)


@pytest.fixture
def paid_order(dealer_org, buyer):
    listing = PublishedListingFactory(
        machine__owner=dealer_org,
        sale_format=SaleFormat.FIXED,
        asking_price=D("380000"),
        title="徐工XE215 2018年",
    )
    order = buy_now(listing=listing, buyer=buyer.organization, actor=buyer)
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID)
    return order


def _paid_days_ago(order, days):
    paid_at = timezone.now() - dt.timedelta(days=days)
    Order.objects.filter(pk=order.pk).update(paid_at=paid_at)
    order.refresh_from_db()
    return timezone.localdate(paid_at)


def test_seller_confirms_collection_and_the_storage_fee_is_recorded(
    paid_order, dealer, buyer, django_capture_on_commit_callbacks
):
    paid_on = _paid_days_ago(paid_order, 20)
    expected = current_rules().storage_fee_for(paid_on, timezone.localdate())
    assert expected > 0  # 20 days is past the free period whatever the weekday
    assert order_storage(paid_order).fee == expected
    with pytest.raises(PermissionDeniedError):
        order_mark_collected(order=paid_order, actor=buyer)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_mark_collected(order=paid_order, actor=dealer)
    assert order.collected_at is not None and order.storage_fee == expected
    assert order_storage(order, today=timezone.localdate() + dt.timedelta(days=30)).fee == expected
    notice = Notification.objects.get(recipient=buyer, kind="trading.collected")
    assert notice.body == f"保管费 ¥{expected:,.2f}。"
    with pytest.raises(ConflictError):
        order_mark_collected(order=order, actor=dealer)


def test_collection_within_the_free_period_costs_nothing(paid_order, dealer):
    _paid_days_ago(paid_order, 1)
    order = order_mark_collected(order=paid_order, actor=dealer)
    assert order.storage_fee == D("0.00")


def test_unpaid_orders_cannot_be_collected(paid_order, dealer):
    Order.objects.filter(pk=paid_order.pk).update(status=OrderStatus.AWAITING_PAYMENT)
    with pytest.raises(ConflictError):
        order_mark_collected(order=paid_order, actor=dealer)


def test_uncollected_orders_are_abandoned_once_after_sixty_days(
    paid_order, dealer, buyer, django_capture_on_commit_callbacks
):
    _paid_days_ago(paid_order, 59)
    with django_capture_on_commit_callbacks(execute=True):
        assert orders_abandon_due() == 0
    _paid_days_ago(paid_order, 61)
    with django_capture_on_commit_callbacks(execute=True):
        assert trading_sweep_task.call()["orders_abandoned"] == 1
        assert orders_abandon_due() == 0
    paid_order.refresh_from_db()
    assert paid_order.abandoned_at is not None
    for user in (buyer, dealer):
        notice = Notification.objects.get(recipient=user, kind="trading.abandoned")
        assert notice.title == "付款后 60 天未提货，视为放弃：徐工XE215 2018年"
    with pytest.raises(ConflictError):
        order_mark_collected(order=paid_order, actor=dealer)


def test_order_page_shows_storage_and_the_seller_confirms_collection(client, paid_order, dealer):
    _paid_days_ago(paid_order, 3)
    url = f"/trading/orders/{paid_order.pk}/"
    client.force_login(dealer)
    page = client.get(url).content.decode()
    assert "保管费起算日" in page and "确认买家已提货" in page
    response = client.post(f"{url}collected/", follow=True)
    body = response.content.decode()
    assert "已确认提货。" in body and 'id="order-collected"' in body
    assert "确认买家已提货" not in body


def test_rules_page_publishes_the_storage_rule(client):
    body = client.get("/trading/rules/").content.decode()
    assert "付款后 8 个工作日内提货免保管费，此后每天收取保管费 ¥200.00" in body
    assert "付款后 60 天仍未提货的视为放弃" in body


def test_order_api_reports_collection_and_storage(client, paid_order, dealer, buyer):
    _paid_days_ago(paid_order, 2)
    order_mark_collected(order=paid_order, actor=dealer)
    client.force_login(buyer)
    body = client.get(f"/api/trading/orders/{paid_order.pk}/").json()
    assert body["storage_fee"] == "0.00"
    assert body["collected_at"] is not None and body["abandoned_at"] is None
