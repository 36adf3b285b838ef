"""The demo seeder: products, applications in several states, one encumbering contract."""

from decimal import Decimal

import pytest

from accounts.models import OrganizationKind
from accounts.tests.factories import OrganizationFactory
from leasing.demo import seed
from leasing.models import ApplicationStatus, LeaseApplication, LeaseContract, LeaseProduct
from marketplace.demo.accounts import demo_accounts_ensure
from marketplace.models import Machine
from marketplace.tests.factories import CategoryFactory, MachineFactory, PublishedListingFactory


@pytest.fixture
def demo_market(db, no_valuation):
    demo_accounts_ensure(seed=1, log=lambda message: None)
    excavators = CategoryFactory(slug="excavator", name="挖掘机")
    CategoryFactory(slug="crane", name="起重机")
    seller = OrganizationFactory(kind=OrganizationKind.DEALER)
    for _ in range(6):
        PublishedListingFactory(
            machine=MachineFactory(
                owner=seller, category=excavators, year_of_manufacture=2022, current_hours=2000
            ),
            asking_price=Decimal(600000),
            is_simulated=True,
        )


def counts():
    return (
        LeaseProduct.objects.count(),
        LeaseApplication.objects.count(),
        LeaseContract.objects.count(),
    )


def test_seed_is_idempotent_and_covers_the_states(demo_market):
    messages = []
    seed(log=messages.append)
    first = counts()
    assert first == (4, 6, 1)
    statuses = sorted(LeaseApplication.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.INFO_REQUESTED,
            ApplicationStatus.APPROVED,
            ApplicationStatus.DECLINED,
            ApplicationStatus.ACCEPTED,
            ApplicationStatus.APPROVED,
        ]
    )
    assert Machine.objects.filter(is_encumbered=True).count() == 1
    assert all(p.is_simulated for p in LeaseProduct.objects.all())
    assert LeaseApplication.objects.filter(is_simulated=False).count() == 0
    seed(log=messages.append)
    assert counts() == first
