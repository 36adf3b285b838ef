"""Trading notifications are written in each recipient's language, whatever the language of
the request that caused them (issue #14)."""

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation

from accounts.models import Role
from accounts.tests.factories import member_of
from marketplace.models import SaleFormat
from marketplace.tests.factories import PublishedListingFactory
from trading.models import Lot, LotOutcome
from trading.services.auctions import bid_place, lot_close
from trading.services.offers import offer_make
from trading.tests.conftest import make_bidder
from trading.tests.test_closing import end_now

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_chinese_buyers_offer_reaches_each_seller_in_their_language(
    dealer_org, dealer, buyer, django_capture_on_commit_callbacks
):
    dealer.preferred_language = "en"
    dealer.save(update_fields=["preferred_language"])
    colleague = member_of(dealer_org, Role.SALES, username="colleague")  # zh-hans
    listing = PublishedListingFactory(
        machine__owner=dealer_org, sale_format=SaleFormat.OFFER, asking_price=D("380000")
    )
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        offer_make(listing=listing, buyer=buyer.organization, actor=buyer, amount=D("330000"))
    english = dealer.notifications.get(kind="trading.offer_received")
    assert english.title == "New offer received: 2019 SANY SY215C Excavator"
    assert english.body == "The buyer offers ¥330,000.00."
    chinese = colleague.notifications.get(kind="trading.offer_received")
    assert chinese.title == "收到新的议价：三一 SY215C 挖掘机"
    assert chinese.body == "买家出价 ¥330,000.00。"
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[dealer.email] == "[Ironloop] New offer received: 2019 SANY SY215C Excavator"
    assert subjects[colleague.email] == "[Ironloop] 收到新的议价：三一 SY215C 挖掘机"


def test_auction_close_tells_the_english_winner_in_english(lot, django_capture_on_commit_callbacks):
    winner, winner_user = make_bidder(lot, "win")
    loser, loser_user = make_bidder(lot, "lose")
    winner_user.preferred_language = "en"
    winner_user.save(update_fields=["preferred_language"])
    bid_place(lot=lot, bidder=winner, actor=winner_user, maximum=D("300000"))
    bid_place(lot=lot, bidder=loser, actor=loser_user, maximum=D("250000"))
    end_now(lot)
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        assert lot_close(lot_id=lot.pk) == LotOutcome.SOLD
    listing = Lot.objects.get(pk=lot.pk).listing
    with translation.override("en"):
        english_title = listing.display_title
    assert english_title != listing.title
    won = winner_user.notifications.get(kind="trading.won")
    assert won.title == f"Congratulations, you won: {english_title}"
    assert won.body == "Hammer price ¥252,000.00."
    lost = loser_user.notifications.get(kind="trading.lost")
    assert lost.title == f"拍卖结束，您未竞得：{listing.title}"
    assert lost.body == "成交价 ¥252,000.00。"
