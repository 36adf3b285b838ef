"""Every deposit accounted for: each deposit's money ends applied to the order, released (a
card hold not captured), forfeited by the default rule, refunded, or still owed back, and
whatever is owed is on the staff refunds list.

The invariant is checked against what the test itself put up (the bank transfer confirmed,
the card amount authorised), not against the payments app's own idea of it."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from marketplace.models import Listing, ListingStatus
from payments import stripe_gateway
from payments.dashboard import sections as payment_dashboard_sections
from payments.models import DepositEntry, Payment, PaymentStatus
from payments.selectors import bank_refunds_due, deposit_totals, refunds_due
from payments.services import bank_refund_record, bank_transfer_confirm
from trading.models import Lot, Order, OrderStatus, QualificationStatus
from trading.rules import current_rules
from trading.services.auctions import bid_place, lot_close, qualification_request
from trading.services.orders import order_default
from trading.tests.factories import AuctionListingFactory, LotFactory

pytestmark = pytest.mark.django_db
D = Decimal
_names = itertools.count()
OPENING_BID = D("91000")


class FakeStripe:
    """Stands in for payments.stripe_gateway's network calls and records them."""

    def __init__(self):
        self.captures: dict[str, Decimal] = {}
        self.cancels: list[str] = []
        self.refunds: list[tuple[str, Decimal]] = []
        self.fail_refunds = False
        self.fail_captures = False
        self._ids = itertools.count(1)

    def create(self, *, amount, currency, manual_capture, **kwargs):
        intent_id = f"pi_fake_{next(self._ids)}"
        status = "requires_capture" if manual_capture else "succeeded"
        received = D("0.00") if manual_capture else amount
        return stripe_gateway.IntentResult(intent_id, status, "", amount, received)

    def capture(self, *, intent_id, amount, currency):
        if self.fail_captures:
            raise stripe_gateway.GatewayError("Stripe: capture failed")
        self.captures[intent_id] = amount
        return stripe_gateway.IntentResult(intent_id, "succeeded", "", amount, amount)

    def cancel(self, *, intent_id, currency):
        self.cancels.append(intent_id)
        return stripe_gateway.IntentResult(intent_id, "canceled", "", D("0"), D("0"))

    def refund(self, *, intent_id, amount, currency, idempotency_key=""):
        if self.fail_refunds:
            raise stripe_gateway.GatewayError("Stripe: refund declined")
        self.refunds.append((intent_id, amount))
        return "re_fake"


@pytest.fixture
def fake_stripe(settings, monkeypatch):
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    fake = FakeStripe()
    monkeypatch.setattr(stripe_gateway, "payment_intent_create", fake.create)
    monkeypatch.setattr(stripe_gateway, "payment_intent_capture", fake.capture)
    monkeypatch.setattr(stripe_gateway, "payment_intent_cancel", fake.cancel)
    monkeypatch.setattr(stripe_gateway, "refund_create", fake.refund)
    return fake


@pytest.fixture
def world(dealer_org, staff):
    return World(dealer_org, staff)


class World:
    """One lot, bidders who put up deposits, and what each of them put up."""

    def __init__(self, seller, staff, opening_bid=OPENING_BID):
        self.staff = staff
        self.lot = LotFactory(
            listing=AuctionListingFactory(machine__owner=seller), opening_bid=opening_bid
        )
        self.received: dict[int, Decimal] = {}  # payment pk → money the bidder put up

    def bidder(self, limit: str | Decimal, method: str = "bank"):
        org = OrganizationFactory(name=f"竞买{next(_names)}公司", kind=OrganizationKind.BUYER)
        user = member_of(org, Role.BUYER, username=f"bidder{next(_names)}")
        qualification = qualification_request(
            lot=self.lot,
            bidder=org,
            actor=user,
            bidding_limit=D(limit),
            method=method,
            payment_method="pm_card_visa" if method == "card" else "",
        )
        payment = Payment.objects.get(qualification=qualification)
        if method == "bank":
            bank_transfer_confirm(
                reference=payment.bank_reference, amount=payment.amount, actor=self.staff
            )
        else:
            assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.AUTHORIZED
        self.received[payment.pk] = payment.amount
        return org, user, payment

    def close(self, capture):
        Lot.objects.filter(pk=self.lot.pk).update(ends_at=timezone.now() - dt.timedelta(seconds=1))
        with capture(execute=True):
            return lot_close(lot_id=self.lot.pk)

    def default(self, capture):
        order = Order.objects.get(lot=self.lot)
        Order.objects.filter(pk=order.pk).update(
            payment_deadline=timezone.now() - dt.timedelta(seconds=1)
        )
        with capture(execute=True):
            return order_default(order=order)


def assert_accounted(payments_received: dict[int, Decimal]) -> None:
    """For every deposit: applied + released + forfeited + refunded + owed = what was put
    up, nothing is left without an end, and what is owed is exactly what the list shows."""
    listed = {due.payment.pk: due.amount for due in refunds_due()}
    for pk, received in payments_received.items():
        totals = deposit_totals(Payment.objects.get(pk=pk))
        ends = totals.applied + totals.released + totals.forfeited + totals.refunded + totals.owed
        assert (ends, totals.unallocated) == (received, D("0.00")), (pk, totals)
        assert listed.get(pk, D("0.00")) == totals.owed, (pk, totals)
        assert totals.refunded <= totals.refund_due


def ends(payment) -> dict[str, Decimal]:
    totals = deposit_totals(Payment.objects.get(pk=payment.pk))
    return {
        kind: getattr(totals, kind)
        for kind in ("applied", "released", "forfeited", "refunded", "owed")
        if getattr(totals, kind)
    }


# ---------------------------------------------------------------- bank deposits


def test_the_winners_excess_bank_deposit_is_owed_back(world, django_capture_on_commit_callbacks):
    """The reported case: ¥1,250,000 put up, won at ¥91,000 (¥95,823 with fee and VAT)."""
    org, user, payment = world.bidder("5000000")
    assert payment.amount == D("1250000.00")
    bid_place(lot=world.lot, bidder=org, actor=user, maximum=D("91000"))
    assert world.close(django_capture_on_commit_callbacks) == "sold"
    order = Order.objects.get(lot=world.lot)
    assert (order.total, order.deposit_applied, order.amount_due) == (
        D("95823.00"),
        D("95823.00"),
        D("0.00"),
    )
    assert order.status == OrderStatus.PAID  # the deposit covered everything
    assert ends(payment) == {"applied": D("95823.00"), "owed": D("1154177.00")}
    due = bank_refunds_due()
    assert [(d.payment.pk, d.amount, d.reason, d.days_owed) for d in due] == [
        (payment.pk, D("1154177.00"), "excess", 0)
    ]
    bank_refund_record(payment=payment, reference="HX-EXCESS-1", actor=world.staff)
    assert ends(payment) == {"applied": D("95823.00"), "refunded": D("1154177.00")}
    assert bank_refunds_due() == []
    assert_accounted(world.received)


def test_outbid_and_exact_deposits(world, django_capture_on_commit_callbacks):
    """The outbid bidder's deposit is owed back whole; a deposit equal to the order's total
    is all applied and nothing of it is owed."""
    total = D("96876.00")  # ¥92,000 + 5% fee + 6% VAT on the fee
    exact_limit = total / current_rules().deposit_share
    winner, winner_user, exact = world.bidder(exact_limit)
    assert exact.amount == total
    loser, loser_user, outbid = world.bidder("200000")
    bid_place(lot=world.lot, bidder=loser, actor=loser_user, maximum=D("91000"))
    bid_place(lot=world.lot, bidder=winner, actor=winner_user, maximum=D("92000"))
    world.close(django_capture_on_commit_callbacks)
    order = Order.objects.get(lot=world.lot)
    assert (order.total, order.deposit_applied, order.status) == (total, total, "paid")
    assert ends(exact) == {"applied": total}
    assert ends(outbid) == {"owed": D("50000.00")}
    assert [(d.payment.pk, d.reason) for d in refunds_due()] == [(outbid.pk, "released")]
    assert_accounted(world.received)


def test_default_forfeits_by_the_rule_and_owes_the_rest(world, django_capture_on_commit_callbacks):
    org, user, payment = world.bidder("100000")  # ¥25,000: less than the order's total
    bid_place(lot=world.lot, bidder=org, actor=user, maximum=D("91000"))
    world.close(django_capture_on_commit_callbacks)
    assert ends(payment) == {"applied": D("25000.00")}
    assert refunds_due() == []  # applied while the order is open
    order = world.default(django_capture_on_commit_callbacks)
    assert order.status == OrderStatus.DEFAULTED
    # 5% of ¥91,000 = ¥4,550 forfeited; ¥20,450 owed back.
    assert (order.forfeited_amount, order.refund_due) == (D("4550.00"), D("20450.00"))
    assert ends(payment) == {"forfeited": D("4550.00"), "owed": D("20450.00")}
    assert [(d.payment.pk, d.amount, d.reason) for d in refunds_due()] == [
        (payment.pk, D("20450.00"), "default")
    ]
    qualification = Payment.objects.get(pk=payment.pk).qualification
    assert qualification.status == QualificationStatus.FORFEITED
    assert_accounted(world.received)


def test_a_withdrawn_lot_owes_every_deposit_back(world, django_capture_on_commit_callbacks):
    org, user, payment = world.bidder("400000")
    pending_org = OrganizationFactory(name="未缴款公司", kind=OrganizationKind.BUYER)
    pending_user = member_of(pending_org, Role.BUYER, username="pending")
    pending = qualification_request(
        lot=world.lot, bidder=pending_org, actor=pending_user, bidding_limit=D("400000"),
        method="bank",
    )  # fmt: skip
    bid_place(lot=world.lot, bidder=org, actor=user, maximum=D("95000"))
    Listing.objects.filter(pk=world.lot.listing_id).update(status=ListingStatus.WITHDRAWN)
    assert world.close(django_capture_on_commit_callbacks) == "withdrawn"
    assert ends(payment) == {"owed": D("100000.00")}
    never_paid = Payment.objects.get(qualification=pending)
    assert never_paid.status == PaymentStatus.CANCELLED
    assert DepositEntry.objects.filter(payment=never_paid).count() == 0
    assert_accounted(world.received | {never_paid.pk: D("0.00")})


def test_closing_twice_or_recording_a_refund_twice_adds_nothing(
    world, django_capture_on_commit_callbacks
):
    org, user, payment = world.bidder("5000000")
    bid_place(lot=world.lot, bidder=org, actor=user, maximum=D("91000"))
    world.close(django_capture_on_commit_callbacks)
    count = DepositEntry.objects.count()
    assert lot_close(lot_id=world.lot.pk) is None
    bank_refund_record(payment=payment, reference="HX1", actor=world.staff)
    from core.errors import ConflictError

    with pytest.raises(ConflictError):
        bank_refund_record(payment=payment, reference="HX2", actor=world.staff)
    assert DepositEntry.objects.count() == count + 1
    assert_accounted(world.received)


# ---------------------------------------------------------------- card holds


def test_card_hold_is_captured_only_for_the_applied_amount(
    fake_stripe, world, django_capture_on_commit_callbacks
):
    org, user, hold = world.bidder("1000000", method="card")  # ¥250,000 held
    _loser, _loser_user, lost = world.bidder("400000", method="card")
    bid_place(lot=world.lot, bidder=org, actor=user, maximum=D("91000"))
    world.close(django_capture_on_commit_callbacks)
    hold.refresh_from_db()
    assert fake_stripe.captures == {hold.stripe_payment_intent_id: D("95823.00")}
    assert fake_stripe.cancels == [Payment.objects.get(pk=lost.pk).stripe_payment_intent_id]
    assert (hold.status, hold.captured_amount) == (PaymentStatus.SUCCEEDED, D("95823.00"))
    assert ends(hold) == {"applied": D("95823.00"), "released": D("154177.00")}
    assert ends(lost) == {"released": D("100000.00")}
    assert refunds_due() == []
    assert_accounted(world.received)


def payment_sections(staff):
    request = RequestFactory().get("/dashboard/")
    request.user = staff
    return payment_dashboard_sections(request, staff)


def test_card_default_refunds_by_stripe_and_a_failed_refund_stays_listed(
    fake_stripe, world, django_capture_on_commit_callbacks, client
):
    org, user, hold = world.bidder("200000", method="card")  # ¥50,000 held
    bid_place(lot=world.lot, bidder=org, actor=user, maximum=D("91000"))
    world.close(django_capture_on_commit_callbacks)
    assert ends(hold) == {"applied": D("50000.00")}
    fake_stripe.fail_refunds = True
    world.default(django_capture_on_commit_callbacks)
    hold.refresh_from_db()
    assert ends(hold) == {"forfeited": D("4550.00"), "owed": D("45450.00")}
    assert hold.error == "Stripe: refund declined"
    assert [(d.payment.pk, d.amount, d.reason) for d in refunds_due()] == [
        (hold.pk, D("45450.00"), "default")
    ]
    assert_accounted(world.received)
    # Staff ask Stripe again from the refunds page.
    fake_stripe.fail_refunds = False
    client.force_login(world.staff)
    page = client.get("/payments/staff/bank-refunds/").content.decode()
    assert "¥45,450.00" in page and "Stripe: refund declined" in page
    # The staff dashboard counts the same list as the page (a failed card refund is owed too).
    queue = {i.key: i for s in payment_sections(world.staff) for i in s.items}
    assert queue["staff.bank_refunds"].count == 1
    response = client.post(
        "/payments/staff/bank-refunds/", {"payment": hold.pk, "action": "retry"}, follow=True
    )
    assert "已向 Stripe 重新发起退款。" in response.content.decode()
    assert fake_stripe.refunds == [(hold.stripe_payment_intent_id, D("45450.00"))]
    assert ends(hold) == {"forfeited": D("4550.00"), "refunded": D("45450.00")}
    assert refunds_due() == []
    assert_accounted(world.received)


def test_a_hold_not_captured_by_the_default_is_captured_for_the_forfeit_only(
    fake_stripe, world, django_capture_on_commit_callbacks
):
    """If the capture at the close failed, the hold is still authorised at the default:
    Stripe takes the forfeit alone and the rest of the hold is released, never refunded."""
    org, user, hold = world.bidder("200000", method="card")  # ¥50,000 held
    bid_place(lot=world.lot, bidder=org, actor=user, maximum=D("91000"))
    fake_stripe.fail_captures = True
    world.close(django_capture_on_commit_callbacks)
    hold.refresh_from_db()
    assert (hold.status, hold.error) == (PaymentStatus.AUTHORIZED, "Stripe: capture failed")
    fake_stripe.fail_captures = False
    world.default(django_capture_on_commit_callbacks)
    hold.refresh_from_db()
    assert fake_stripe.captures == {hold.stripe_payment_intent_id: D("4550.00")}
    assert (hold.status, hold.captured_amount) == (PaymentStatus.SUCCEEDED, D("4550.00"))
    assert ends(hold) == {"forfeited": D("4550.00"), "released": D("45450.00")}
    assert fake_stripe.refunds == []
    assert refunds_due() == []
    assert_accounted(world.received)


# ---------------------------------------------------------------- property


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    price=st.decimals(min_value=D("1000"), max_value=D("3000000"), places=0),
    limit_over=st.decimals(min_value=D("0"), max_value=D("9000000"), places=0),
    rival_limit=st.decimals(min_value=D("1000"), max_value=D("9000000"), places=0),
    card=st.booleans(),
    outcome=st.sampled_from(["paid_or_open", "default", "withdrawn"]),
)
def test_every_deposit_is_accounted_for(
    fake_stripe,
    dealer_org,
    staff,
    django_capture_on_commit_callbacks,
    price,
    limit_over,
    rival_limit,
    card,
    outcome,
):
    rules = current_rules()
    world = World(dealer_org, staff, opening_bid=price)
    limit = price + limit_over
    method = "card" if card and rules.deposit_for(limit) <= rules.card_charge_limit else "bank"
    org, user, _payment = world.bidder(limit, method=method)
    world.bidder(max(rival_limit, price))  # a rival who does not bid: released at the close
    bid_place(lot=world.lot, bidder=org, actor=user, maximum=price)
    if outcome == "withdrawn":
        Listing.objects.filter(pk=world.lot.listing_id).update(status=ListingStatus.WITHDRAWN)
    world.close(django_capture_on_commit_callbacks)
    order = Order.objects.filter(lot=world.lot).first()
    if outcome == "default" and order is not None and order.status == OrderStatus.AWAITING_PAYMENT:
        world.default(django_capture_on_commit_callbacks)
    assert_accounted(world.received)


def test_a_deposit_capture_event_must_match_the_applied_amount(
    fake_stripe, world, django_capture_on_commit_callbacks, client, webhook_secret
):
    from payments.models import WebhookEvent
    from payments.tests.conftest import intent_event, signed

    org, user, hold = world.bidder("1000000", method="card")  # ¥250,000 held
    bid_place(lot=world.lot, bidder=org, actor=user, maximum=D("91000"))
    world.close(django_capture_on_commit_callbacks)
    hold.refresh_from_db()

    def deliver(event_id, received):
        event = intent_event(
            event_id,
            "payment_intent.succeeded",
            intent_id=hold.stripe_payment_intent_id,
            amount=25000000,
            payment_id=hold.pk,
        )
        event["data"]["object"]["amount_received"] = received
        payload, header = signed(event)
        return client.post(
            "/payments/webhooks/stripe/",
            payload,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=header,
        ).json()["status"]

    assert deliver("evt_full", 25000000) == "rejected"  # the whole hold was never ours
    assert WebhookEvent.objects.get(stripe_event_id="evt_full").reject_reason == "amount_mismatch"
    assert deliver("evt_applied", 9582300) == "processed"
    hold.refresh_from_db()
    assert (hold.status, hold.captured_amount) == (PaymentStatus.SUCCEEDED, D("95823.00"))
    assert_accounted(world.received)


# ---------------------------------------------------------------- deposits from before


def test_the_backfill_gives_older_deposits_the_same_ends(
    fake_stripe, dealer_org, staff, django_capture_on_commit_callbacks
):
    """Deposits recorded before DepositEntry existed get the ends the services now write."""
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("payments.migrations.0004_backfill_deposit_entries").backfill
    excess = World(dealer_org, staff)
    org, user, rich = excess.bidder("5000000")
    _rival, _rival_user, outbid = excess.bidder("200000")
    _card_org, _card_user, card_outbid = excess.bidder("400000", method="card")
    bid_place(lot=excess.lot, bidder=org, actor=user, maximum=D("91000"))
    excess.close(django_capture_on_commit_callbacks)
    bank_refund_record(payment=outbid, reference="HX-OLD", actor=staff)
    default = World(dealer_org, staff)
    short_org, short_user, short = default.bidder("100000")
    bid_place(lot=default.lot, bidder=short_org, actor=short_user, maximum=D("91000"))
    default.close(django_capture_on_commit_callbacks)
    default.default(django_capture_on_commit_callbacks)
    payments = [rich, outbid, card_outbid, short]
    expected = {p.pk: ends(p) for p in payments}
    assert expected[outbid.pk] == {"refunded": D("50000.00")}
    DepositEntry.objects.all().delete()
    assert refunds_due() == []  # what the old code showed: nothing owed
    backfill(apps, None)
    assert {p.pk: ends(p) for p in payments} == expected
    assert_accounted(excess.received | default.received)
    backfill(apps, None)  # a second run adds nothing
    assert {p.pk: ends(p) for p in payments} == expected
