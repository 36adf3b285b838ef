"""What trading's payments pay for, registered in ``settings.PAYMENT_KINDS``.

Payments calls these (it never imports trading): a deposit backs a BidderQualification, an
order payment pays an Order. Each kind locks its subject before payments locks the payment
(trading.lock_objects order), checks a new payment, and moves trading's state when the money
moves, all in the payment's transaction.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from core.money import format_cny
from notifications.services import notification_send
from payments.kinds import PaymentKind, PaymentTerms
from trading.lock_objects import order_lock, qualification_lock
from trading.models import BidderQualification, Order, OrderStatus
from trading.services.orders import order_choose_rail, order_payment_received
from trading.services.qualifications import qualification_deposit_held


class DepositKind(PaymentKind):
    purpose = "deposit"
    subject_field = "qualification"

    def subject_lock(self, subject_id: int) -> BidderQualification:
        return qualification_lock(subject_id)

    def terms(self, *, subject, actor, rail: str) -> PaymentTerms:
        return PaymentTerms(amount=subject.deposit_amount, currency=subject.currency)

    def on_authorized(self, payment, subject: BidderQualification) -> None:
        qualification_deposit_held(qualification=subject)

    on_succeeded = on_authorized

    def on_refunded(self, payment, *, amount: Decimal, reference: str) -> None:
        recipient = (
            BidderQualification.objects.select_related("requested_by")
            .get(pk=payment.qualification_id)
            .requested_by
        )
        if recipient is None:
            return
        notification_send(  # in the transaction, as the refund it reports
            recipient=recipient,
            kind="deposit_refunded",
            title=lambda: _("保证金已退还"),
            body=lambda: (
                _("%(amount)s 已转回贵公司账户，转账流水号 %(reference)s。")
                % {"amount": format_cny(amount), "reference": reference}
            ),
        )


class OrderKind(PaymentKind):
    purpose = "order"
    subject_field = "order"

    def subject_lock(self, subject_id: int) -> Order:
        # What completing the sale reads, fetched with the lock (joined rows stay unlocked).
        return order_lock(subject_id, related=("listing", "buyer", "seller"))

    def terms(self, *, subject, actor, rail: str) -> PaymentTerms:
        """The buyer chooses the rail (refused past the card limit, or when not payable)."""
        order = order_choose_rail(order=subject, actor=actor, rail=rail)
        return PaymentTerms(
            amount=order.amount_due, currency=order.currency, bank_reference=order.bank_reference
        )

    def expected_transfer(self, reference: str) -> tuple[Order, PaymentTerms] | None:
        """An unpaid order whose reference the buyer was told (page, e-mail, PDF notice)."""
        order = Order.objects.filter(
            bank_reference=reference, status=OrderStatus.AWAITING_PAYMENT
        ).first()
        if order is None:
            return None
        return order, PaymentTerms(
            amount=order.amount_due, currency=order.currency, bank_reference=reference
        )

    def on_succeeded(self, payment, subject: Order) -> None:
        order_payment_received(order=subject, actor=payment.confirmed_by)


DEPOSIT = DepositKind()
ORDER = OrderKind()
