"""Query budget of the bank-transfer confirmation that completes a sale (issue #13): the
payment, its order kind (trading), the sale in the marketplace, in one transaction."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.models import ListingStatus, SaleFormat
from marketplace.tests.factories import PublishedListingFactory
from payments.models import PaymentEvent, PaymentEventKind, PaymentStatus
from payments.services import bank_transfer_confirm, order_bank_pay
from trading.models import OrderEventKind, OrderStatus
from trading.services.orders import buy_now

pytestmark = pytest.mark.django_db
CONFIRM_QUERY_BUDGET = 30


def test_bank_transfer_confirm_completing_a_sale_stays_within_its_query_budget(
    dealer_org, buyer, staff
):
    listing = PublishedListingFactory(
        machine__owner=dealer_org, sale_format=SaleFormat.FIXED, asking_price=Decimal("380000")
    )
    order = buy_now(listing=listing, buyer=buyer.organization, actor=buyer)
    payment = order_bank_pay(order=order, actor=buyer)
    with CaptureQueriesContext(connection) as queries:
        bank_transfer_confirm(
            reference=order.bank_reference, amount=Decimal("392084.00"), actor=staff
        )
    statements = [query["sql"] for query in queries.captured_queries]
    assert len(statements) <= CONFIRM_QUERY_BUDGET, "\n".join(statements)
    assert not [sql for sql in statements if "wagtailcore_referenceindex" in sql]
    order.refresh_from_db()
    listing.refresh_from_db()
    payment.refresh_from_db()
    assert (payment.status, order.status, listing.status) == (
        PaymentStatus.SUCCEEDED,
        OrderStatus.PAID,
        ListingStatus.SOLD,
    )
    assert list(payment.events.values_list("kind", "from_status", "to_status")) == [
        (PaymentEventKind.CREATED, "", PaymentStatus.PENDING),
        (PaymentEventKind.SUCCEEDED, PaymentStatus.PENDING, PaymentStatus.SUCCEEDED),
    ]
    assert PaymentEvent.objects.get(kind=PaymentEventKind.SUCCEEDED).actor == staff
    assert list(order.events.values_list("kind", flat=True)) == [
        OrderEventKind.CREATED,
        OrderEventKind.PAID,
    ]
