"""Reads other apps rely on: pre-approvals, the financing facet."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leasing.models import ApplicationKind, ApplicationStatus
from leasing.selectors import listing_ids_with_financing, organization_has_active_preapproval
from leasing.tests.factories import LeaseApplicationFactory
from marketplace.tests.factories import MachineFactory, PublishedListingFactory

TODAY = timezone.localdate


def preapproval(product, applicant, status, valid_until):
    return LeaseApplicationFactory(
        product=product,
        listing=None,
        machine=None,
        applicant=applicant,
        kind=ApplicationKind.PREAPPROVAL,
        price=Decimal(500000),
        status=status,
        valid_until=valid_until,
    )


@pytest.mark.parametrize(
    ("status", "days", "expected"),
    [
        (ApplicationStatus.APPROVED, 10, True),
        (ApplicationStatus.ACCEPTED, 0, True),
        (ApplicationStatus.APPROVED, -1, False),
        (ApplicationStatus.SUBMITTED, 10, False),
        (ApplicationStatus.DECLINED, 10, False),
        (ApplicationStatus.WITHDRAWN, 10, False),
    ],
)
def test_active_preapproval(product, buyer_org, status, days, expected):
    preapproval(product, buyer_org, status, TODAY() + dt.timedelta(days=days))
    assert organization_has_active_preapproval(buyer_org) is expected


def test_preapproval_of_another_org_does_not_count(product, buyer_org, other_dealer_org):
    preapproval(
        product, other_dealer_org, ApplicationStatus.APPROVED, TODAY() + dt.timedelta(days=5)
    )
    assert organization_has_active_preapproval(buyer_org) is False


def test_approved_purchase_is_not_a_preapproval(product, listing, buyer_org):
    LeaseApplicationFactory(
        product=product,
        listing=listing,
        applicant=buyer_org,
        status=ApplicationStatus.APPROVED,
        valid_until=TODAY() + dt.timedelta(days=5),
    )
    assert organization_has_active_preapproval(buyer_org) is False


def test_listing_ids_with_financing(product, dealer_org):
    young = PublishedListingFactory(
        machine=MachineFactory(owner=dealer_org, year_of_manufacture=2021)
    )
    old = PublishedListingFactory(
        machine=MachineFactory(owner=dealer_org, year_of_manufacture=2000)
    )
    auction = PublishedListingFactory(
        machine=MachineFactory(owner=dealer_org, year_of_manufacture=2021),
        sale_format="auction",
        asking_price=None,
    )
    assert listing_ids_with_financing([young.pk, old.pk, auction.pk]) == {young.pk}
    assert listing_ids_with_financing([]) == set()


def test_listing_ids_with_financing_constant_queries(product, dealer_org):
    ids = [
        PublishedListingFactory(
            machine=MachineFactory(owner=dealer_org, year_of_manufacture=2021)
        ).pk
        for _ in range(12)
    ]
    with CaptureQueriesContext(connection) as few:
        assert len(listing_ids_with_financing(ids[:3])) == 3
    with CaptureQueriesContext(connection) as many:
        assert len(listing_ids_with_financing(ids)) == 12
    assert len(few.captured_queries) == len(many.captured_queries)
