"""The qualification, order and payment state machines: one transition table each, every
change written as a typed event, refused changes leave nothing behind (issue #13)."""

import importlib
from decimal import Decimal

import pytest

from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from core.errors import ConflictError
from payments.models import Payment, PaymentEventKind, PaymentStatus
from payments.tests.test_deposits import World
from trading.models import (
    BidderQualification,
    OrderEventKind,
    QualificationEvent,
    QualificationEventKind,
    QualificationStatus,
)
from trading.services.auctions import bid_place, qualification_request
from trading.services.qualifications import QUALIFICATION_TRANSITIONS, qualification_transition

pytestmark = pytest.mark.django_db
D = Decimal
Q = QualificationStatus
K = QualificationEventKind


def _kinds(qualification) -> list[tuple[str, str, str]]:
    return list(
        QualificationEvent.objects.filter(qualification=qualification).values_list(
            "kind", "from_status", "to_status"
        )
    )


def test_the_table_names_every_status_and_final_states_lead_nowhere():
    assert set(QUALIFICATION_TRANSITIONS) == set(Q.values)
    assert [s for s, targets in QUALIFICATION_TRANSITIONS.items() if not targets] == [
        Q.RELEASED,
        Q.FORFEITED,
        Q.CANCELLED,
    ]


def test_a_transition_outside_the_table_is_refused_and_changes_nothing(dealer_org, staff):
    world = World(dealer_org, staff)
    _org, _user, payment = world.bidder("100000")
    qualification = BidderQualification.objects.get(pk=payment.qualification_id)
    before = (qualification.status, qualification.updated_at, _kinds(qualification))
    with pytest.raises(ConflictError) as refused:
        qualification_transition(qualification=qualification, to_status=Q.FORFEITED)
    assert refused.value.code == "invalid_transition"
    qualification.refresh_from_db()
    assert (qualification.status, qualification.updated_at, _kinds(qualification)) == before


def test_an_auction_writes_each_step_of_every_qualification(
    dealer_org, staff, django_capture_on_commit_callbacks
):
    world = World(dealer_org, staff)
    winner, winner_user, winner_payment = world.bidder("100000")
    loser, loser_user, _loser_payment = world.bidder("100000")
    waiting_org = OrganizationFactory(name="未缴保证金公司", kind=OrganizationKind.BUYER)
    waiting = qualification_request(
        lot=world.lot,
        bidder=waiting_org,
        actor=member_of(waiting_org, Role.BUYER, username="waiting"),
        bidding_limit=D("100000"),
        method="bank",
    )
    bid_place(lot=world.lot, bidder=loser, actor=loser_user, maximum=D("91000"))
    bid_place(lot=world.lot, bidder=winner, actor=winner_user, maximum=D("95000"))
    world.close(django_capture_on_commit_callbacks)

    won = BidderQualification.objects.get(pk=winner_payment.qualification_id)
    lost = BidderQualification.objects.get(lot=world.lot, bidder=loser)
    assert (won.status, lost.status, BidderQualification.objects.get(pk=waiting.pk).status) == (
        Q.APPLIED,
        Q.RELEASED,
        Q.CANCELLED,
    )
    assert _kinds(won) == [
        (K.REQUESTED, "", Q.PENDING),
        (K.ACTIVATED, Q.PENDING, Q.ACTIVE),
        (K.APPLIED, Q.ACTIVE, Q.APPLIED),
    ]
    assert _kinds(lost)[-1] == (K.RELEASED, Q.ACTIVE, Q.RELEASED)
    assert _kinds(waiting) == [(K.REQUESTED, "", Q.PENDING), (K.CANCELLED, Q.PENDING, Q.CANCELLED)]
    # The transfer the waiting bidder never made is cancelled through the payment transition.
    expected = Payment.objects.get(qualification=waiting)
    assert expected.status == PaymentStatus.CANCELLED
    assert list(expected.events.values_list("kind", flat=True)) == [
        PaymentEventKind.CREATED,
        PaymentEventKind.CANCELLED,
    ]

    order = world.default(django_capture_on_commit_callbacks)
    won.refresh_from_db()
    assert won.status == Q.FORFEITED
    assert _kinds(won)[-1] == (K.FORFEITED, Q.APPLIED, Q.FORFEITED)
    assert list(order.events.values_list("kind", flat=True)) == [
        OrderEventKind.CREATED,
        OrderEventKind.DEFAULTED,
    ]


@pytest.mark.parametrize(
    ("from_status", "to_status", "note", "kind"),
    [
        ("", "awaiting_payment", "", "created"),
        ("awaiting_payment", "paid", "", "paid"),
        ("awaiting_payment", "defaulted", "payment deadline passed", "defaulted"),
        ("awaiting_payment", "cancelled", "", "cancelled"),
        ("paid", "paid", "collected; storage fee 0.00", "collected"),
        ("paid", "paid", "abandoned", "abandoned"),
    ],
)
def test_the_migration_names_the_kind_of_every_existing_order_event(
    from_status, to_status, note, kind
):
    migration = importlib.import_module(
        "trading.migrations.0006_event_kinds_and_qualification_events"
    )
    assert migration.order_event_kind(from_status, to_status, note) == kind
