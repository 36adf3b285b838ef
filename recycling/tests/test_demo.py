"""The recycling demo seeder: one disposal request per stage, an issued certificate."""

import pytest

from accounts.models import Membership, OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from core.documents import verify_path
from marketplace.demo.accounts import demo_accounts_ensure
from marketplace.models import ListingStatus
from marketplace.tests.factories import MachineFactory, PublishedListingFactory
from recycling import demo
from recycling.models import DisposalCertificate, DisposalRequest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("certification.tests.urls")]


@pytest.fixture
def demo_fleet(db):
    demo_accounts_ensure(seed=1, log=lambda message: None)
    owner = OrganizationFactory(kind=OrganizationKind.DEALER, is_simulated=True)
    member_of(owner, Role.OWNER)
    machines = [
        MachineFactory(owner=owner, is_simulated=True, year_of_manufacture=2006 + index)
        for index in range(6)
    ]
    # A machine on sale is left alone; one whose listing was withdrawn may be scrapped.
    PublishedListingFactory(machine=machines[0])
    PublishedListingFactory(machine=machines[1], status=ListingStatus.WITHDRAWN)
    return machines


def test_seed_covers_every_stage_once_and_is_idempotent(client, demo_fleet):
    lines: list[str] = []
    demo.seed(log=lines.append)
    requests = DisposalRequest.objects.order_by("id")
    assert [r.status for r in requests] == ["completed", "accepted", "quoted", "requested"]
    # Oldest machines not on sale first.
    assert [r.machine_id for r in requests] == [m.pk for m in demo_fleet[1:5]]
    recycler = Membership.objects.get(
        organization__kind=OrganizationKind.RECYCLER, role=Role.OWNER
    ).organization
    assert {q.recycler_id for r in requests for q in r.quotes.all()} == {recycler.pk}
    certificate = DisposalCertificate.objects.get()
    assert certificate.machine_id == demo_fleet[1].pk
    # Everything but 90 kg of glass to landfill is recovered: 18,610 of 18,700 kg, rounded down.
    assert str(certificate.recoverability_rate) == "99.51"
    assert client.get(verify_path(certificate)).status_code == 200
    assert lines == ["recycling: 4 disposal requests"]
    demo.seed(log=lines.append)
    assert DisposalRequest.objects.count() == 4
    assert lines[-1] == "recycling: 0 disposal requests"


def test_seed_without_a_simulated_recycler_does_nothing(db):
    lines: list[str] = []
    demo.seed(log=lines.append)
    assert DisposalRequest.objects.count() == 0
    assert lines == ["recycling: no simulated recycler (run the marketplace seeder first); skipped"]
