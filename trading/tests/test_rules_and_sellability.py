"""Published offer rules at their boundaries, and the sellability guard on every step that
leads to a sale: refused when the buyer acts, before any order or payment exists."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.errors import ConflictError, DomainError
from marketplace.models import Listing, ListingEvent, ListingStatus, SaleFormat
from marketplace.sellability import SaleBlockReason, listing_sale_block, machine_sale_block
from marketplace.services import listing_publish
from marketplace.tests.factories import ListingFactory, MachineFactory, PublishedListingFactory
from payments.models import Payment
from trading.models import Bid, Lot, Offer, OfferEvent, Order, OrderEvent
from trading.rules import current_rules
from trading.services.auctions import bid_place, lot_close, lot_create
from trading.services.offers import offer_accept, offer_counter, offer_make
from trading.services.orders import buy_now, order_create
from trading.tests.conftest import make_bidder
from trading.tests.factories import AuctionListingFactory, LotFactory

pytestmark = pytest.mark.django_db
D = Decimal


def _offer_listing(dealer_org, price="145000"):
    return PublishedListingFactory(
        machine__owner=dealer_org, sale_format=SaleFormat.OFFER, asking_price=D(price)
    )


def _trade_counts():
    return (
        Offer.objects.count(),
        OfferEvent.objects.count(),
        Order.objects.count(),
        OrderEvent.objects.count(),
        Payment.objects.count(),
        ListingEvent.objects.count(),
        Bid.objects.count(),
        Lot.objects.count(),
    )


# --- minimum offer ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "accepted"),
    [("1", False), ("72499.99", False), ("72500.00", True), ("72500.01", True)],
)
def test_minimum_offer_is_half_the_asking_price(dealer_org, buyer, amount, accepted):
    listing = _offer_listing(dealer_org)
    before = _trade_counts()
    if accepted:
        offer = offer_make(listing=listing, buyer=buyer.organization, actor=buyer, amount=D(amount))
        assert offer.amount == D(amount)
        return
    with pytest.raises(DomainError) as info:
        offer_make(listing=listing, buyer=buyer.organization, actor=buyer, amount=D(amount))
    assert info.value.code == "offer_too_low"
    assert list(info.value.fields) == ["amount"]
    assert "50%" in info.value.message and "¥72,500.00" in info.value.message
    assert _trade_counts() == before


def test_minimum_offer_rounds_up_to_the_fen():
    assert current_rules().minimum_offer_for(D("145000.01")) == D("72500.01")


def test_minimum_offer_follows_the_setting(dealer_org, buyer, settings):
    settings.TRADING_RULES = {"offer_minimum_share": D("0.80")}
    listing = _offer_listing(dealer_org)
    with pytest.raises(DomainError):
        offer_make(listing=listing, buyer=buyer.organization, actor=buyer, amount=D("115999.99"))
    offer = offer_make(listing=listing, buyer=buyer.organization, actor=buyer, amount=D("116000"))
    assert offer.amount == D("116000.00")


def test_api_offer_below_minimum_is_400_with_field_message(dealer_org, buyer):
    listing = _offer_listing(dealer_org)
    client = APIClient()
    client.force_authenticate(buyer)
    before = _trade_counts()
    response = client.post(
        f"/api/trading/listings/{listing.pk}/offers/", {"amount": "1"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "offer_too_low"
    assert "¥72,500.00" in body["fields"]["amount"][0]
    assert _trade_counts() == before


def test_html_offer_below_minimum_shows_the_rule(client, dealer_org, buyer):
    listing = _offer_listing(dealer_org)
    client.force_login(buyer)
    response = client.post(
        reverse("trading:offer_make", args=[listing.pk]), {"amount": "1"}, follow=True
    )
    assert response.status_code == 200
    assert "¥72,500.00" in response.content.decode()
    assert Offer.objects.count() == 0


# --- counter-offers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "accepted"),
    [("199000.00", True), ("199000.01", False), ("999999", False), ("198999.99", True)],
)
def test_counter_offer_never_above_the_asking_price(dealer_org, dealer, buyer, amount, accepted):
    listing = _offer_listing(dealer_org, "199000")
    offer = offer_make(listing=listing, buyer=buyer.organization, actor=buyer, amount=D("150000"))
    before = _trade_counts()
    if accepted:
        offer = offer_counter(offer=offer, actor=dealer, amount=D(amount))
        assert offer.counter_amount == D(amount)
        return
    with pytest.raises(DomainError) as info:
        offer_counter(offer=offer, actor=dealer, amount=D(amount))
    assert info.value.code == "counter_above_price"
    assert list(info.value.fields) == ["counter_amount"]
    offer.refresh_from_db()
    assert (offer.status, offer.counter_amount) == ("open", None)
    assert _trade_counts() == before


# --- the sellability guard --------------------------------------------------------------------


def _encumber(listing):
    listing.machine.is_encumbered = True
    listing.machine.save(update_fields=["is_encumbered"])


def test_guard_reasons():
    machine = MachineFactory.build(is_encumbered=True)
    assert machine_sale_block(machine).reason == SaleBlockReason.ENCUMBERED
    machine = MachineFactory.build(is_scrapped=True, is_encumbered=True)
    assert machine_sale_block(machine).reason == SaleBlockReason.SCRAPPED
    assert machine_sale_block(MachineFactory.build()) is None
    listing = ListingFactory.build(machine=MachineFactory.build(), status="reserved")
    assert listing_sale_block(listing).reason == SaleBlockReason.RESERVED
    listing = ListingFactory.build(machine=MachineFactory.build(), status="sold")
    assert listing_sale_block(listing).reason == SaleBlockReason.SOLD


def test_buy_now_on_an_encumbered_machine_is_refused_before_any_order(dealer_org, buyer):
    listing = PublishedListingFactory(machine__owner=dealer_org, asking_price=D("145000"))
    _encumber(listing)
    before = _trade_counts()
    with pytest.raises(ConflictError) as info:
        buy_now(listing=listing, buyer=buyer.organization, actor=buyer)
    assert info.value.code == "machine_encumbered"
    assert _trade_counts() == before
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.PUBLISHED


def test_api_buy_now_on_an_encumbered_machine_is_409(dealer_org, buyer):
    listing = PublishedListingFactory(machine__owner=dealer_org, asking_price=D("145000"))
    _encumber(listing)
    client = APIClient()
    client.force_authenticate(buyer)
    before = _trade_counts()
    response = client.post(f"/api/trading/listings/{listing.pk}/buy-now/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "machine_encumbered"
    assert _trade_counts() == before


def test_html_buy_now_refused_and_listing_page_says_why(client, dealer_org, buyer):
    listing = PublishedListingFactory(machine__owner=dealer_org, asking_price=D("145000"))
    _encumber(listing)
    client.force_login(buyer)
    page = client.get(reverse("marketplace:listing_detail", args=[listing.pk])).content.decode()
    assert 'data-reason="machine_encumbered"' in page
    assert "融资租赁登记" in page
    assert reverse("trading:buy_now", args=[listing.pk]) not in page
    assert reverse("trading:offer_make", args=[listing.pk]) not in page
    response = client.post(reverse("trading:buy_now", args=[listing.pk]), follow=True)
    assert response.status_code == 200
    assert "融资租赁登记" in response.content.decode()
    assert Order.objects.count() == 0


def test_offer_make_and_accept_refused_on_an_encumbered_machine(dealer_org, dealer, buyer):
    listing = _offer_listing(dealer_org)
    offer = offer_make(listing=listing, buyer=buyer.organization, actor=buyer, amount=D("100000"))
    _encumber(listing)
    before = _trade_counts()
    with pytest.raises(ConflictError) as info:
        offer_accept(offer=offer, actor=dealer)
    assert info.value.code == "machine_encumbered"
    assert Offer.objects.get(pk=offer.pk).status == "open"
    other = _offer_listing(dealer_org)
    _encumber(other)
    with pytest.raises(ConflictError):
        offer_make(listing=other, buyer=buyer.organization, actor=buyer, amount=D("100000"))
    assert _trade_counts() == before


def test_order_create_refused_for_scrapped_machine(dealer_org, buyer):
    listing = PublishedListingFactory(machine__owner=dealer_org)
    listing.machine.is_scrapped = True
    listing.machine.save(update_fields=["is_scrapped"])
    before = _trade_counts()
    with pytest.raises(ConflictError) as info:
        order_create(
            listing=listing, buyer=buyer.organization, actor=buyer, channel="fixed",
            price=D("100000"),
        )  # fmt: skip
    assert info.value.code == "machine_scrapped"
    assert _trade_counts() == before


def test_publish_refused_for_an_encumbered_machine(dealer_org, staff):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org), status="submitted")
    _encumber(listing)
    with pytest.raises(ConflictError) as info:
        listing_publish(listing=listing, actor=staff)
    assert info.value.code == "machine_encumbered"
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.SUBMITTED
    assert ListingEvent.objects.count() == 0


def test_auction_start_and_bids_refused_on_an_encumbered_machine(dealer_org, dealer):
    listing = AuctionListingFactory(machine__owner=dealer_org)
    _encumber(listing)
    now = timezone.now()
    before = _trade_counts()
    with pytest.raises(ConflictError) as info:
        lot_create(
            listing=listing, actor=dealer, starts_at=now, ends_at=now + dt.timedelta(days=2),
            opening_bid=D("100000"),
        )  # fmt: skip
    assert info.value.code == "machine_encumbered"
    assert _trade_counts() == before


def test_bid_refused_once_the_machine_is_encumbered(dealer_org):
    listing = AuctionListingFactory(machine__owner=dealer_org)
    lot = LotFactory(listing=listing)
    org, user = make_bidder(lot, "dora")
    _encumber(listing)
    before = _trade_counts()
    with pytest.raises(ConflictError) as info:
        bid_place(lot=lot, bidder=org, actor=user, maximum=D("150000"))
    assert info.value.code == "machine_encumbered"
    assert _trade_counts() == before


def test_lot_closing_on_an_encumbered_machine_creates_no_order(dealer_org):
    listing = AuctionListingFactory(machine__owner=dealer_org)
    lot = LotFactory(listing=listing)
    org, user = make_bidder(lot, "erin")
    bid_place(lot=lot, bidder=org, actor=user, maximum=D("150000"))
    _encumber(listing)
    Lot.objects.filter(pk=lot.pk).update(ends_at=timezone.now() - dt.timedelta(seconds=1))
    assert lot_close(lot_id=lot.pk) == "withdrawn"
    assert Order.objects.count() == 0


# --- the rules page ---------------------------------------------------------------------------


def test_rules_page_renders_the_configured_numbers(client, settings):
    page = client.get(reverse("trading:rules")).content.decode()
    assert 'id="rule-offer-minimum"' in page and "50%" in page
    assert "¥1,000.00" in page
    assert "6000" in page or "6,000" in page
    assert "20" in page  # 中登网 registration digits

    settings.TRADING_RULES = {"offer_minimum_share": D("0.65")}
    settings.MARKETPLACE_RULES = {
        "listing_price_floor": D("2500"),
        "annual_hours_default": 5500,
    }
    page = client.get(reverse("trading:rules")).content.decode()
    assert "65%" in page
    assert "¥2,500.00" in page
    assert "5500" in page or "5,500" in page
