import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import DomainError, PermissionDeniedError
from payments.models import Payment, PaymentStatus
from payments.services import bank_transfer_confirm
from trading.models import (
    BidderQualification,
    DepositMethod,
    Lot,
    Order,
    OrderStatus,
    QualificationStatus,
)
from trading.services.auctions import bid_place, lot_close, qualification_request
from trading.services.orders import orders_default_overdue

pytestmark = pytest.mark.django_db
D = Decimal


def test_bank_deposit_is_a_share_of_the_limit_and_staff_confirmation_qualifies(lot, buyer, staff):
    qualification = qualification_request(
        lot=lot, bidder=buyer.organization, actor=buyer, bidding_limit=D("400000"), method="bank"
    )
    assert (qualification.status, qualification.deposit_amount, qualification.method) == (
        QualificationStatus.PENDING,
        D("100000.00"),
        DepositMethod.BANK,
    )
    with pytest.raises(PermissionDeniedError) as info:
        bid_place(lot=lot, bidder=buyer.organization, actor=buyer, maximum=D("150000"))
    assert info.value.code == "not_qualified"
    payment = Payment.objects.get(qualification=qualification)
    bank_transfer_confirm(reference=payment.bank_reference, amount=D("100000.00"), actor=staff)
    qualification.refresh_from_db()
    assert qualification.status == QualificationStatus.ACTIVE
    assert (
        bid_place(lot=lot, bidder=buyer.organization, actor=buyer, maximum=D("150000")).leading
        is True
    )


def test_deposit_waived_for_finance_preapproved_buyer(lot, buyer, monkeypatch):
    import leasing.selectors

    monkeypatch.setattr(
        leasing.selectors,
        "organization_has_active_preapproval",
        lambda org: org == buyer.organization,
    )
    qualification = qualification_request(
        lot=lot, bidder=buyer.organization, actor=buyer, bidding_limit=D("400000"), method="bank"
    )
    assert (qualification.status, qualification.method, qualification.deposit_amount) == (
        QualificationStatus.ACTIVE,
        DepositMethod.WAIVED,
        D("0.00"),
    )
    assert Payment.objects.count() == 0


def test_qualification_refusals(lot, buyer, dealer, dealer_org):
    with pytest.raises(DomainError) as info:
        qualification_request(
            lot=lot, bidder=buyer.organization, actor=buyer, bidding_limit=D("50000"), method="bank"
        )
    assert info.value.code == "limit_too_low"
    with pytest.raises(DomainError) as info:
        qualification_request(
            lot=lot,
            bidder=buyer.organization,
            actor=buyer,
            bidding_limit=D("400000"),
            method="card",
        )
    assert info.value.code == "card_unavailable"  # no Stripe key configured
    with pytest.raises(PermissionDeniedError):
        qualification_request(
            lot=lot, bidder=dealer_org, actor=dealer, bidding_limit=D("400000"), method="bank"
        )
    assert BidderQualification.objects.count() == 0
    assert Payment.objects.count() == 0


def test_auction_winner_default_forfeits_deposit_per_rule(
    lot, buyer, staff, django_capture_on_commit_callbacks
):
    qualification = qualification_request(
        lot=lot, bidder=buyer.organization, actor=buyer, bidding_limit=D("400000"), method="bank"
    )
    payment = Payment.objects.get(qualification=qualification)
    bank_transfer_confirm(reference=payment.bank_reference, amount=payment.amount, actor=staff)
    bid_place(lot=lot, bidder=buyer.organization, actor=buyer, maximum=D("300000"))
    Lot.objects.filter(pk=lot.pk).update(ends_at=timezone.now() - dt.timedelta(seconds=1))
    lot_close(lot_id=lot.pk)
    order = Order.objects.get(lot=lot)
    assert (order.price, order.deposit_applied) == (D("100000.00"), D("100000.00"))
    Order.objects.filter(pk=order.pk).update(
        payment_deadline=timezone.now() - dt.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert orders_default_overdue() == 1
    order.refresh_from_db()
    # 5% of the price, at least ¥3,000: ¥5,000 forfeited, ¥95,000 of the deposit refunded.
    assert (order.status, order.forfeited_amount, order.refund_due) == (
        OrderStatus.DEFAULTED,
        D("5000.00"),
        D("95000.00"),
    )
    assert (
        BidderQualification.objects.get(pk=qualification.pk).status == QualificationStatus.FORFEITED
    )
    lot.listing.refresh_from_db()
    assert lot.listing.status == "published"
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED


def _request_card(lot, buyer):
    return qualification_request(
        lot=lot, bidder=buyer.organization, actor=buyer, bidding_limit=D("400000"), method="card"
    )


def test_a_card_deposit_is_refused_when_the_hold_would_lapse_before_the_lot_ends(lot, buyer):
    """Card holds last about seven days: a lot ending later takes a bank deposit (or a card
    application within six days of the end)."""
    Lot.objects.filter(pk=lot.pk).update(ends_at=timezone.now() + dt.timedelta(days=10))
    with pytest.raises(DomainError) as refused:
        _request_card(lot, buyer)
    assert refused.value.code == "card_hold_too_short"
    assert list(refused.value.fields) == ["method"]
    assert not BidderQualification.objects.filter(lot=lot).exists()
    bank = qualification_request(
        lot=lot, bidder=buyer.organization, actor=buyer, bidding_limit=D("400000"), method="bank"
    )
    assert bank.method == DepositMethod.BANK


def test_a_card_deposit_within_the_hold_window_passes_the_hold_check(lot, buyer):
    Lot.objects.filter(pk=lot.pk).update(ends_at=timezone.now() + dt.timedelta(days=5))
    with pytest.raises(DomainError) as refused:  # no Stripe keys in this test: card is off
        _request_card(lot, buyer)
    assert refused.value.code == "card_unavailable"
