import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import ConflictError, DomainError, PermissionDeniedError
from marketplace.models import ListingStatus, SaleFormat, SaleRecord
from marketplace.tests.factories import PublishedListingFactory
from payments.models import Payment, PaymentStatus
from payments.services import bank_transfer_confirm, order_bank_pay
from trading.models import Offer, OfferStatus, Order, OrderStatus, SellerPayout
from trading.rules import current_rules
from trading.services.offers import (
    offer_accept,
    offer_counter,
    offer_decline,
    offer_make,
    offers_expire_due,
)
from trading.services.orders import buy_now, order_quote, orders_default_overdue

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def listing(dealer_org):
    return PublishedListingFactory(
        machine__owner=dealer_org, sale_format=SaleFormat.OFFER, asking_price=D("380000")
    )


@pytest.mark.parametrize(
    ("price", "fee", "vat", "total"),
    [
        ("40000", "3200.00", "192.00", "43392.00"),
        ("200000", "10000.00", "600.00", "210600.00"),
        ("380000", "11400.00", "684.00", "392084.00"),
        ("1500000", "30000.00", "1800.00", "1531800.00"),
    ],
)
def test_quote_applies_published_fee_tiers_and_vat(price, fee, vat, total):
    quote = order_quote(price=D(price))
    assert (quote.buyer_fee, quote.fee_vat, quote.total, quote.amount_due) == (
        D(fee),
        D(vat),
        D(total),
        D(total),
    )
    assert quote.card_allowed is (D(total) <= D("999999.99"))


def test_buy_now_reserves_listing_and_bank_payment_completes_sale(
    listing, buyer, staff, django_capture_on_commit_callbacks
):
    order = buy_now(listing=listing, buyer=buyer.organization, actor=buyer)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.RESERVED
    assert (order.status, order.price, order.amount_due) == (
        OrderStatus.AWAITING_PAYMENT,
        D("380000.00"),
        D("392084.00"),
    )
    assert order.payment_deadline > timezone.now() + dt.timedelta(
        days=current_rules().payment_days
    ) - dt.timedelta(minutes=1)
    payment = order_bank_pay(order=order, actor=buyer)
    assert payment.bank_reference == order.bank_reference
    with pytest.raises(DomainError) as info:
        bank_transfer_confirm(reference=order.bank_reference, amount=D("392000"), actor=staff)
    assert info.value.code == "amount_mismatch"
    with pytest.raises(PermissionDeniedError):
        bank_transfer_confirm(reference=order.bank_reference, amount=D("392084"), actor=buyer)
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        bank_transfer_confirm(
            reference=order.bank_reference.lower(), amount=D("392084.00"), actor=staff
        )
    order.refresh_from_db()
    listing.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert listing.status == ListingStatus.SOLD
    record = SaleRecord.objects.get(listing=listing)
    assert (record.price, record.sale_channel) == (D("380000.00"), "fixed")
    payout = SellerPayout.objects.get(order=order)  # 2% commission, ¥50 settlement fee
    assert (payout.gross, payout.commission, payout.fees, payout.amount) == (
        D("380000.00"),
        D("7600.00"),
        D("50.00"),
        D("372350.00"),
    )
    assert listing.machine.__class__.objects.get(pk=listing.machine_id).owner == buyer.organization
    assert buyer.notifications.filter(kind="trading.payment_received").count() == 1
    with pytest.raises(ConflictError):
        bank_transfer_confirm(reference=order.bank_reference, amount=D("392084.00"), actor=staff)


def test_buy_now_refusals_change_nothing(listing, dealer, unverified_buyer, buyer):
    for actor, org, code in (
        (dealer, listing.seller, "own_listing"),
        (unverified_buyer, unverified_buyer.organization, "buyer_not_verified"),
    ):
        with pytest.raises(PermissionDeniedError) as info:
            buy_now(listing=listing, buyer=org, actor=actor)
        assert info.value.code == code
    buy_now(listing=listing, buyer=buyer.organization, actor=buyer)
    with pytest.raises(ConflictError):
        buy_now(listing=listing, buyer=buyer.organization, actor=buyer)
    assert Order.objects.count() == 1


def test_unpaid_order_defaults_and_listing_goes_back_on_sale(
    listing, buyer, django_capture_on_commit_callbacks
):
    order = buy_now(listing=listing, buyer=buyer.organization, actor=buyer)
    assert orders_default_overdue() == 0
    Order.objects.filter(pk=order.pk).update(
        payment_deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert orders_default_overdue() == 1
    order.refresh_from_db()
    listing.refresh_from_db()
    assert order.status == OrderStatus.DEFAULTED
    assert (order.forfeited_amount, order.refund_due) == (
        D("0.00"),
        D("0.00"),
    )  # no deposit on a buy-now
    assert listing.status == ListingStatus.PUBLISHED
    assert buyer.notifications.filter(kind="trading.payment_overdue").count() == 1


def test_default_rule_forfeits_part_of_deposit():
    rules = current_rules()
    assert rules.default_forfeit_for(D("252000"), D("50000")) == D("12600.00")
    assert rules.default_forfeit_for(D("20000"), D("50000")) == D("3000.00")
    assert rules.default_forfeit_for(D("2000000"), D("50000")) == D("50000")


def test_offer_counter_accept_creates_order_at_counter_price(
    listing, buyer, dealer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        offer = offer_make(
            listing=listing, buyer=buyer.organization, actor=buyer, amount=D("330000")
        )
    assert dealer.notifications.filter(kind="trading.offer_received").count() == 1
    with pytest.raises(PermissionDeniedError):
        offer_counter(offer=offer, actor=buyer, amount=D("360000"))
    with django_capture_on_commit_callbacks(execute=True):
        offer = offer_counter(offer=offer, actor=dealer, amount=D("360000"))
    assert buyer.notifications.filter(kind="trading.offer_countered").count() == 1
    with pytest.raises(PermissionDeniedError):  # the seller cannot accept its own counter
        offer_accept(offer=offer, actor=dealer)
    with django_capture_on_commit_callbacks(execute=True):
        order = offer_accept(offer=offer, actor=buyer)
    assert (order.price, order.channel, order.offer_id) == (D("360000.00"), "offer", offer.pk)
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.ACCEPTED
    assert dealer.notifications.filter(kind="trading.offer_accepted").count() == 1
    assert [e.to_status for e in offer.events.all()] == ["open", "countered", "accepted"]


def test_offer_refusals(listing, buyer, dealer):
    with pytest.raises(DomainError) as info:
        offer_make(listing=listing, buyer=buyer.organization, actor=buyer, amount=D("380000"))
    assert info.value.code == "offer_not_below_price"
    offer = offer_make(listing=listing, buyer=buyer.organization, actor=buyer, amount=D("300000"))
    with pytest.raises(ConflictError):
        offer_make(listing=listing, buyer=buyer.organization, actor=buyer, amount=D("310000"))
    with pytest.raises(DomainError):
        offer_counter(offer=offer, actor=dealer, amount=D("290000"))
    offer_decline(offer=offer, actor=dealer)
    with pytest.raises(ConflictError):
        offer_accept(offer=offer, actor=dealer)
    assert Order.objects.count() == 0


def test_offers_expire(listing, buyer):
    offer = offer_make(listing=listing, buyer=buyer.organization, actor=buyer, amount=D("300000"))
    assert offers_expire_due() == 0
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert offers_expire_due() == 1
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.EXPIRED


def test_big_orders_must_use_bank_transfer(dealer_org, buyer):
    from payments.services import order_card_pay

    listing = PublishedListingFactory(machine__owner=dealer_org, asking_price=D("1200000"))
    order = buy_now(listing=listing, buyer=buyer.organization, actor=buyer)
    with pytest.raises(DomainError) as info:
        order_card_pay(order=order, actor=buyer, payment_method="pm_card_visa")
    assert info.value.code == "card_limit_exceeded"
    assert Payment.objects.count() == 0
