import pytest

from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of


@pytest.fixture
def recycler_org(db):
    return OrganizationFactory(name="湘潭再生资源回收", kind=OrganizationKind.RECYCLER)


@pytest.fixture
def recycler(recycler_org):
    return member_of(recycler_org, Role.SALES, username="recycler")
