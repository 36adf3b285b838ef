"""The bank-transfer payment notice of an order: one object for the order page, the
payment-due e-mail and the notice PDF (imports only models and payments' settings reader,
so both services and selectors use it)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from payments.methods import EscrowAccount, escrow_account
from trading.models import Order

PAYMENT_NOTICE_TIMEZONE = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class PaymentNotice:
    """What a buyer needs to pay an order by bank transfer: the platform's escrow account,
    the reference to quote, the amount and the deadline in Beijing time. One object for the
    order page, the payment-due e-mail and the notice PDF."""

    escrow: EscrowAccount
    reference: str
    amount: Decimal
    currency: str
    deadline: dt.datetime  # aware, in Asia/Shanghai

    @property
    def deadline_text(self) -> str:
        return self.deadline.strftime("%Y-%m-%d %H:%M")


def order_payment_notice(order: Order) -> PaymentNotice:
    return PaymentNotice(
        escrow=escrow_account(),
        reference=order.bank_reference,
        amount=order.amount_due,
        currency=order.currency,
        deadline=timezone.localtime(order.payment_deadline, PAYMENT_NOTICE_TIMEZONE),
    )
