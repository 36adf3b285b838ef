import pytest

from accounts.models import Role
from accounts.tests.factories import member_of
from marketplace.tests.factories import CategoryFactory, EquipmentModelFactory


@pytest.fixture
def excavators(db):
    root = CategoryFactory(slug="excavator", name="挖掘机", name_en="Excavators")
    medium = CategoryFactory(
        slug="excavator-medium", name="中型挖掘机", name_en="Medium excavators", parent=root
    )
    return root, medium


@pytest.fixture
def sy215(excavators):
    return EquipmentModelFactory(category=excavators[1])


@pytest.fixture
def dealer_viewer(dealer_org):
    return member_of(dealer_org, Role.VIEWER, username="viewer")
