"""The buyer withdraws an offer still waiting for an answer; every refusal changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from core.errors import ConflictError, PermissionDeniedError
from marketplace.models import SaleFormat
from marketplace.tests.factories import PublishedListingFactory
from trading.models import Offer, OfferEvent, OfferStatus
from trading.services.offers import (
    buyer_can_withdraw,
    offer_accept,
    offer_counter,
    offer_make,
    offer_withdraw,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def listing(dealer_org):
    return PublishedListingFactory(
        machine__owner=dealer_org, sale_format=SaleFormat.OFFER, asking_price=D("380000")
    )


@pytest.fixture
def offer(listing, buyer):
    return offer_make(listing=listing, buyer=buyer.organization, actor=buyer, amount=D("330000"))


def state(offer):
    fresh = Offer.objects.get(pk=offer.pk)
    return fresh.status, fresh.updated_at, OfferEvent.objects.filter(offer=offer).count()


def test_buyer_withdraws_open_offer_and_seller_is_told(
    offer, buyer, dealer, django_capture_on_commit_callbacks
):
    assert buyer_can_withdraw(buyer, offer) is True
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = offer_withdraw(offer=offer, actor=buyer)
    assert withdrawn.status == OfferStatus.WITHDRAWN
    events = list(OfferEvent.objects.filter(offer=offer).values_list("from_status", "to_status"))
    assert events == [("", "open"), ("open", "withdrawn")]
    assert OfferEvent.objects.filter(offer=offer).last().actor == buyer
    notice = dealer.notifications.get(kind="trading.offer_withdrawn")
    assert notice.title == f"买家撤回了议价：{offer.listing.title}"
    assert "¥330,000" in notice.body
    assert buyer_can_withdraw(buyer, Offer.objects.get(pk=offer.pk)) is False


def test_buyer_withdraws_countered_offer(offer, buyer, dealer):
    offer_counter(offer=offer, actor=dealer, amount=D("360000"))
    offer_withdraw(offer=offer, actor=buyer)
    assert list(OfferEvent.objects.filter(offer=offer).values_list("to_status", flat=True)) == [
        "open",
        "countered",
        "withdrawn",
    ]


@pytest.mark.parametrize("who", ["seller", "other_buyer", "viewer_of_buyer"])
def test_others_cannot_withdraw(offer, buyer, dealer, who):
    if who == "seller":
        actor = dealer
    elif who == "other_buyer":
        actor = member_of(OrganizationFactory(kind=OrganizationKind.BUYER), Role.BUYER)
    else:
        actor = member_of(buyer.organization, Role.VIEWER)
    before = state(offer)
    assert buyer_can_withdraw(actor, offer) is False
    with pytest.raises(PermissionDeniedError):
        offer_withdraw(offer=offer, actor=actor)
    assert state(offer) == before
    assert dealer.notifications.filter(kind="trading.offer_withdrawn").count() == 0


def test_accepted_offer_cannot_be_withdrawn(offer, buyer, dealer):
    order = offer_accept(offer=offer, actor=dealer)
    before = state(offer)
    with pytest.raises(ConflictError) as info:
        offer_withdraw(offer=offer, actor=buyer)
    assert info.value.code == "offer_closed"
    assert state(offer) == before
    order.refresh_from_db()
    assert order.status == "awaiting_payment"


def test_withdrawn_offer_cannot_be_withdrawn_twice(offer, buyer):
    offer_withdraw(offer=offer, actor=buyer)
    before = state(offer)
    with pytest.raises(ConflictError):
        offer_withdraw(offer=offer, actor=buyer)
    assert state(offer) == before


def test_expired_offer_is_refused(offer, buyer):
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    before = state(offer)
    with pytest.raises(ConflictError) as info:
        offer_withdraw(offer=offer, actor=buyer)
    assert info.value.code == "offer_expired"
    assert state(offer) == before


def test_my_offers_page_has_withdraw_button_and_it_works(client, offer, buyer, dealer):
    client.force_login(buyer)
    url = reverse("trading:offer_action", args=[offer.pk, "withdraw"])
    page = client.get(reverse("trading:offer_list") + "?side=buying").content.decode()
    assert f'action="{url}"' in page
    response = client.post(url, follow=True)
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.WITHDRAWN
    assert "已撤回该议价。" in response.content.decode()
    assert f'action="{url}"' not in response.content.decode()


def test_seller_sees_no_withdraw_button_and_post_is_refused(client, offer, dealer):
    client.force_login(dealer)
    url = reverse("trading:offer_action", args=[offer.pk, "withdraw"])
    assert f'action="{url}"' not in client.get(reverse("trading:offer_list")).content.decode()
    before = state(offer)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "您没有执行此操作的权限。" in response.content.decode()
    assert state(offer) == before


def test_api_withdraw(offer, buyer, dealer):
    api = APIClient()
    url = reverse("trading-offer-withdraw", args=[offer.pk])
    api.force_authenticate(dealer)
    refused = api.post(url)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.OPEN
    api.force_authenticate(buyer)
    response = api.post(url)
    assert response.status_code == 200
    assert response.json() == {"id": offer.pk, "status": "withdrawn"}
    again = api.post(url)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "offer_closed"
    assert api.post(reverse("trading-offer-withdraw", args=[999999])).status_code == 404
