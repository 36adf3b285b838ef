import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from trading.models import Bid, BidderMaximum, LotEvent, LotEventKind
from trading.rules import current_rules
from trading.services.auctions import bid_place, proxy_apply

pytestmark = pytest.mark.django_db
D = Decimal


def place(lot, bidder, amount):
    org, user = bidder
    return bid_place(lot=lot, bidder=org, actor=user, maximum=D(amount))


def test_first_bid_sets_price_to_opening_bid(lot, bidders):
    result = place(lot, bidders[0], "150000")
    lot.refresh_from_db()
    assert result.leading is True
    assert lot.current_price == D("100000.00")
    assert lot.leader == bidders[0][0]
    assert lot.leader_maximum == D("150000.00")
    assert lot.bid_count == 1


def test_challenger_below_leader_max_moves_price_one_increment_over_him(lot, bidders):
    place(lot, bidders[0], "150000")
    result = place(lot, bidders[1], "120000")
    lot.refresh_from_db()
    assert result.leading is False
    assert lot.leader == bidders[0][0]
    # 120,000 is in the 50k–200k band: increment 1,000.
    assert lot.current_price == D("121000.00")


def test_challenger_above_leader_max_takes_lead_one_increment_over_old_max(lot, bidders):
    place(lot, bidders[0], "150000")
    result = place(lot, bidders[1], "300000")
    lot.refresh_from_db()
    assert result.leading is True
    assert lot.leader == bidders[1][0]
    assert lot.current_price == D("151000.00")


def test_equal_maxima_the_earlier_bid_wins(lot, bidders):
    place(lot, bidders[0], "150000")
    result = place(lot, bidders[1], "150000")
    lot.refresh_from_db()
    assert result.leading is False
    assert lot.leader == bidders[0][0]
    assert lot.current_price == D("150000.00")


def test_price_capped_at_winner_maximum(lot, bidders):
    place(lot, bidders[0], "150000")
    place(lot, bidders[1], "150500")
    lot.refresh_from_db()
    assert lot.leader == bidders[1][0]
    assert lot.current_price == D("150500.00")


def test_leader_raising_max_does_not_raise_price(lot, bidders):
    place(lot, bidders[0], "150000")
    place(lot, bidders[1], "120000")
    place(lot, bidders[0], "400000")
    lot.refresh_from_db()
    assert lot.current_price == D("121000.00")
    assert lot.leader_maximum == D("400000.00")
    assert BidderMaximum.objects.get(lot=lot, bidder=bidders[0][0]).maximum == D("400000.00")


def test_reserve_price_reached_when_leader_maximum_covers_it(lot, bidders):
    lot.reserve_price = D("200000.00")
    lot.save()
    place(lot, bidders[0], "150000")
    lot.refresh_from_db()
    assert lot.current_price == D("100000.00")
    assert lot.reserve_met is False
    place(lot, bidders[0], "250000")
    lot.refresh_from_db()
    assert lot.current_price == D("200000.00")
    assert lot.reserve_met is True


def test_bid_in_soft_close_window_extends_by_window(lot, bidders):
    lot.ends_at = timezone.now() + dt.timedelta(minutes=2)
    lot.save()
    before = timezone.now()
    result = place(lot, bidders[0], "150000")
    lot.refresh_from_db()
    assert result.extended is True
    assert lot.extension_count == 1
    assert lot.ends_at >= before + dt.timedelta(minutes=5)
    assert lot.ends_at <= timezone.now() + dt.timedelta(minutes=5)
    assert LotEvent.objects.filter(lot=lot, kind=LotEventKind.EXTENDED).count() == 1


def test_bid_outside_soft_close_window_does_not_extend(lot, bidders):
    ends = lot.ends_at
    result = place(lot, bidders[0], "150000")
    lot.refresh_from_db()
    assert result.extended is False
    assert lot.ends_at == ends
    assert lot.extension_count == 0


def test_outbid_bidder_gets_notification_and_email(
    lot, bidders, django_capture_on_commit_callbacks
):
    place(lot, bidders[0], "150000")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        place(lot, bidders[1], "200000")
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert "出价已被超过" in mail.outbox[0].subject
    assert bidders[0][1].notifications.filter(kind="trading.outbid").count() == 1


def test_bids_are_recorded_with_price_after(lot, bidders):
    place(lot, bidders[0], "150000")
    place(lot, bidders[1], "120000")
    rows = list(Bid.objects.filter(lot=lot).values_list("maximum", "price_after", "leading_after"))
    assert rows == [
        (D("150000.00"), D("100000.00"), True),
        (D("120000.00"), D("121000.00"), False),
    ]


@pytest.mark.parametrize(
    ("price", "increment"),
    [
        ("0", "200"),
        ("10000", "200"),
        ("10000.01", "500"),
        ("200000", "1000"),
        ("999999", "5000"),
        ("1000001", "10000"),
    ],
)
def test_increment_table(price, increment):
    assert current_rules().increment_for(D(price)) == D(increment)


def test_proxy_apply_is_pure_and_symmetric_for_ties():
    rules = current_rules()
    outcome = proxy_apply(
        rules=rules,
        opening_bid=D("100"),
        reserve=None,
        price=D("100"),
        leader_id=1,
        leader_maximum=D("500"),
        bidder_id=2,
        maximum=D("500"),
    )
    assert (outcome.leader_id, outcome.price, outcome.leader_changed) == (1, D("500"), False)
