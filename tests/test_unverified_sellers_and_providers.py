"""Unverified organizations can browse but not trade (issue #11). Buyers are covered in
accounts/tests/test_unverified_cannot_trade.py; here the dealer's, lessor's, recycler's and
certifier's first trading action is refused with a clear reason until staff approve the
organization, and nothing changes; approving the same organization lets the same action through."""

from decimal import Decimal

import pytest

from accounts.models import KycStatus, OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from certification.models import InspectionRequest
from certification.services.inspections import (
    inspection_request_accept,
    inspection_request_create,
)
from core.errors import PermissionDeniedError
from leasing import services as leasing_services
from leasing.models import LeaseProduct
from leasing.tests.factories import LeaseProductFactory
from marketplace.models import ListingStatus
from marketplace.services import listing_submit
from marketplace.tests.factories import (
    CategoryFactory,
    ListingFactory,
    MachineFactory,
    with_photo_set,
)
from recycling.models import DisposalQuote
from recycling.services import disposal_quote_submit, disposal_request_create

pytestmark = pytest.mark.django_db


def unverified(kind):
    org = OrganizationFactory(kind=kind, kyc_status=KycStatus.PENDING)
    return org, member_of(org, Role.OWNER)


def approve(org):
    org.kyc_status = KycStatus.VERIFIED
    org.save(update_fields=["kyc_status"])


def test_unverified_dealer_cannot_submit_a_listing():
    org, user = unverified(OrganizationKind.DEALER)
    listing = ListingFactory(machine=MachineFactory(owner=org), asking_price=Decimal("150000"))
    with_photo_set(listing)
    with pytest.raises(PermissionDeniedError) as refused:
        listing_submit(listing=listing, actor=user)
    assert refused.value.code == "organization_not_verified"
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DRAFT
    approve(org)
    assert listing_submit(listing=listing, actor=user).status == ListingStatus.SUBMITTED


def test_unverified_lessor_cannot_publish_a_product():
    org, user = unverified(OrganizationKind.LESSOR)
    category = CategoryFactory()
    data = leasing_services.ProductInput(
        name="直租", category_ids=[category.pk], default_annual_rate=Decimal("0.07")
    )
    with pytest.raises(PermissionDeniedError) as refused:
        leasing_services.product_create(actor=user, lessor=org, data=data)
    assert refused.value.code == "organization_not_verified"
    assert LeaseProduct.objects.count() == 0
    # A product made inactive (e.g. before the organization's verification was revoked)
    # cannot be put back on offer either; taking one off offer stays allowed.
    product = LeaseProductFactory(lessor=org, categories=[category], is_active=False)
    with pytest.raises(PermissionDeniedError):
        leasing_services.product_set_active(actor=user, product=product, is_active=True)
    product.refresh_from_db()
    assert product.is_active is False
    approve(org)
    assert leasing_services.product_create(actor=user, lessor=org, data=data).is_active is True


def test_unverified_recycler_cannot_quote(dealer_org, dealer):
    org, user = unverified(OrganizationKind.RECYCLER)
    request = disposal_request_create(machine=MachineFactory(owner=dealer_org), actor=dealer)
    with pytest.raises(PermissionDeniedError) as refused:
        disposal_quote_submit(request=request, recycler=org, actor=user, price=Decimal("40000"))
    assert refused.value.code == "organization_not_verified"
    assert DisposalQuote.objects.count() == 0
    request.refresh_from_db()
    assert request.status == "requested"
    approve(org)
    quote = disposal_quote_submit(request=request, recycler=org, actor=user, price=Decimal("1"))
    assert quote.price == Decimal("1.00")


def test_unverified_certifier_cannot_accept_an_inspection(dealer_org, dealer):
    org = OrganizationFactory(kind=OrganizationKind.CERTIFIER, kyc_status=KycStatus.REJECTED)
    inspector = member_of(org, Role.INSPECTOR)
    request = inspection_request_create(
        machine=MachineFactory(owner=dealer_org), requester=dealer_org, certifier=org, actor=dealer
    )
    with pytest.raises(PermissionDeniedError) as refused:
        inspection_request_accept(request=request, actor=inspector)
    assert refused.value.code == "organization_not_verified"
    assert InspectionRequest.objects.get(pk=request.pk).status == "requested"
    assert not request.machine.inspection_reports.exists()
    approve(org)
    assert inspection_request_accept(request=request, actor=inspector).status == "draft"
