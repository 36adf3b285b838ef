"""Unverified organizations can browse but not trade: a freshly registered buyer (its KYC
not yet approved) sees listings, and every trading service refuses it, changing nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import KycStatus, OrganizationKind, Role
from accounts.services import organization_kyc_approve, organization_kyc_submit
from accounts.tests.factories import OrganizationFactory, member_of
from accounts.tests.helpers import licence_pdf
from core.errors import PermissionDeniedError
from marketplace.tests.factories import PublishedListingFactory
from trading.models import Bid, Offer, Order
from trading.services.auctions import bid_place
from trading.services.offers import offer_make
from trading.services.orders import buy_now
from trading.tests.factories import AuctionListingFactory, LotFactory, QualificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer_buyer(db):
    organization = OrganizationFactory(
        name="益阳新买家", kind=OrganizationKind.BUYER, kyc_status=KycStatus.UNVERIFIED
    )
    organization.business_licence.save("l.pdf", licence_pdf(), save=True)
    return member_of(organization, Role.OWNER, username="newcomer")


@pytest.fixture
def listing(dealer_org):
    return PublishedListingFactory(machine__owner=dealer_org, asking_price=Decimal("380000.00"))


def _nothing_traded() -> tuple[int, int, int]:
    return (Order.objects.count(), Offer.objects.count(), Bid.objects.count())


def test_an_unverified_buyer_can_browse(client, newcomer_buyer, listing):
    client.force_login(newcomer_buyer)
    assert client.get(reverse("search:search")).status_code == 200
    detail = client.get(reverse("marketplace:listing_detail", args=[listing.pk]))
    assert detail.status_code == 200
    assert listing.title in detail.content.decode()


@pytest.mark.parametrize("status", [KycStatus.UNVERIFIED, KycStatus.PENDING, KycStatus.REJECTED])
def test_buy_now_and_offer_are_refused_until_verified(newcomer_buyer, listing, status):
    organization = newcomer_buyer.organization
    type(organization).objects.filter(pk=organization.pk).update(kyc_status=status)
    organization.refresh_from_db()
    with pytest.raises(PermissionDeniedError) as excinfo:
        buy_now(listing=listing, buyer=organization, actor=newcomer_buyer)
    assert excinfo.value.code == "buyer_not_verified"
    with pytest.raises(PermissionDeniedError) as excinfo:
        offer_make(
            listing=listing,
            buyer=organization,
            actor=newcomer_buyer,
            amount=Decimal("350000.00"),
        )
    assert excinfo.value.code == "buyer_not_verified"
    assert _nothing_traded() == (0, 0, 0)
    listing.refresh_from_db()
    assert listing.status == "published"


def test_bidding_is_refused_until_verified(newcomer_buyer, dealer_org):
    lot = LotFactory(listing=AuctionListingFactory(machine__owner=dealer_org))
    organization = newcomer_buyer.organization
    QualificationFactory(lot=lot, bidder=organization)
    with pytest.raises(PermissionDeniedError) as excinfo:
        bid_place(lot=lot, bidder=organization, actor=newcomer_buyer, maximum=Decimal("150000"))
    assert excinfo.value.code == "buyer_not_verified"
    assert _nothing_traded() == (0, 0, 0)
    lot.refresh_from_db()
    assert lot.current_price is None


def test_once_staff_approve_the_same_buyer_may_offer(newcomer_buyer, listing, staff):
    organization = newcomer_buyer.organization
    organization_kyc_submit(
        organization=organization, actor=newcomer_buyer, credit_code=organization.credit_code
    )
    organization_kyc_approve(organization=organization, actor=staff)
    organization.refresh_from_db()
    offer = offer_make(
        listing=listing, buyer=organization, actor=newcomer_buyer, amount=Decimal("350000.00")
    )
    assert (offer.buyer, offer.amount) == (organization, Decimal("350000.00"))
