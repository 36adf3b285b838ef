"""On PostgreSQL: confirming the bank transfer of an auction order while the order defaults.

Both paths lock the order first (the payment kind's subject; a default takes the winner's
qualification, then the order), then the payments: every statement that takes a row lock is
followed by a short pause, so the two really interleave between their locks. Each round ends
with the order either paid or defaulted, never both, no deadlock, and the deposit's money
accounted for either way."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection
from django.utils import timezone

from core.errors import DomainError
from payments.models import DepositEntryKind, Payment
from payments.selectors import deposit_totals
from payments.services import bank_transfer_confirm, order_bank_pay
from payments.tests.test_deposits import World
from tests.races import run_together
from trading.models import Lot, Order, OrderStatus
from trading.services.auctions import bid_place, lot_close
from trading.services.orders import order_default

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and deadlocks need PostgreSQL"
    ),
]
ROUNDS = 3


def _auction_order_awaiting_transfer(world: World):
    org, user, deposit = world.bidder("100000")  # a bank deposit of ¥25,000, received
    bid_place(lot=world.lot, bidder=org, actor=user, maximum=Decimal("91000"))
    Lot.objects.filter(pk=world.lot.pk).update(ends_at=timezone.now() - dt.timedelta(seconds=1))
    lot_close(lot_id=world.lot.pk)
    order = Order.objects.get(lot=world.lot)
    transfer = order_bank_pay(order=order, actor=user)
    Order.objects.filter(pk=order.pk).update(
        payment_deadline=timezone.now() - dt.timedelta(seconds=1)
    )
    return order, transfer, deposit


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_a_transfer_confirmed_while_the_order_defaults_never_deadlocks(
    round_number, dealer_org, staff
):
    order, transfer, deposit = _auction_order_awaiting_transfer(World(dealer_org, staff))
    results = run_together(
        [
            lambda: bank_transfer_confirm(
                reference=transfer.bank_reference, amount=transfer.amount, actor=staff
            ),
            lambda: order_default(order=Order.objects.get(pk=order.pk)),
        ]
    )
    database_errors = [r for r in results if isinstance(r, DatabaseError)]
    assert database_errors == []
    assert [r for r in results if isinstance(r, Exception) and not isinstance(r, DomainError)] == []
    order.refresh_from_db()
    totals = deposit_totals(Payment.objects.get(pk=deposit.pk))
    assert order.status in (OrderStatus.PAID, OrderStatus.DEFAULTED)
    if order.status == OrderStatus.PAID:
        assert (totals.applied, totals.forfeited) == (Decimal("25000.00"), Decimal("0.00"))
    else:
        assert totals.applied == Decimal("0.00")
        assert totals.forfeited + totals.refund_due == Decimal("25000.00")
        assert deposit.deposit_entries.filter(kind=DepositEntryKind.FORFEITED).count() == 1
