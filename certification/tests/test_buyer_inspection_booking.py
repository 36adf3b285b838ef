"""A buyer books a third-party inspection from the listing page (issue #14): who pays and
who sees the report are stated before booking; the seller is told."""

import pytest
from django.urls import reverse

from certification.models import InspectionRequest
from certification.services import inspections
from core.errors import ConflictError
from marketplace.models import ListingStatus
from marketplace.tests.factories import MachineFactory, PublishedListingFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db
PAYS = "检测费由预约的买家承担，直接与检测机构结算，平台不收取费用。"
SEES = "报告提交后与平台上所有检测报告一样公开"


@pytest.fixture
def listing(dealer_org):
    return PublishedListingFactory(machine=MachineFactory(owner=dealer_org))


def _page(client, listing):
    return client.get(reverse("marketplace:listing_detail", args=[listing.pk])).content.decode()


def test_a_buyer_sees_the_booking_box_with_who_pays_and_who_sees(client, listing, buyer):
    client.force_login(buyer)
    page = _page(client, listing)
    assert 'id="inspection-booking"' in page
    assert PAYS in page and SEES in page
    booking_url = reverse("certification:request_create", args=[listing.machine_id])
    assert f'href="{booking_url}">预约检测</a>' in page


def test_anonymous_visitors_are_asked_to_sign_in_and_the_seller_sees_no_box(
    client, listing, dealer
):
    page = _page(client, listing)
    assert "登录后预约检测" in page
    client.force_login(dealer)
    assert 'id="inspection-booking"' not in _page(client, listing)


def test_the_request_form_states_the_terms_to_a_buyer(client, listing, buyer, certifier_org):
    client.force_login(buyer)
    url = reverse("certification:request_create", args=[listing.machine_id])
    form = client.get(url).content.decode()
    assert 'id="buyer-inspection-terms"' in form and PAYS in form
    response = client.post(url, {"certifier": certifier_org.pk, "note": "请重点看液压系统"})
    assert response.status_code == 302
    request = InspectionRequest.objects.get()
    assert (request.requester.pk, request.machine_id) == (
        buyer.memberships.get().organization_id,
        listing.machine_id,
    )
    assert "您已预约" in _page(client, listing)


def test_the_seller_is_notified_of_a_buyers_booking(listing, buyer, dealer, certifier_org):
    buyer_org = buyer.memberships.get().organization
    inspections.inspection_request_create(
        machine=listing.machine, requester=buyer_org, certifier=certifier_org, actor=buyer
    )
    note = Notification.objects.get(kind="inspection_requested_by_buyer")
    assert note.recipient == dealer
    assert "检测费由买家承担" in note.body


def test_no_booking_once_the_machine_is_no_longer_on_sale(listing, buyer, certifier_org):
    listing.status = ListingStatus.WITHDRAWN
    listing.save(update_fields=["status"])
    buyer_org = buyer.memberships.get().organization
    with pytest.raises(ConflictError):
        inspections.inspection_request_create(
            machine=listing.machine, requester=buyer_org, certifier=certifier_org, actor=buyer
        )
    assert InspectionRequest.objects.count() == 0
    assert Notification.objects.count() == 0
