"""The `can_*` predicates and the batch `listing_actions` agree, and match the services."""

import pytest

from accounts.models import Role
from accounts.tests.factories import member_of
from marketplace import services
from marketplace.models import ListingStatus
from marketplace.tests.factories import ListingFactory, MachineFactory

pytestmark = pytest.mark.django_db
PREDICATES = {
    "edit": services.can_edit_listing,
    "submit": services.can_submit_listing,
    "publish": services.can_publish_listing,
    "withdraw": services.can_withdraw_listing,
    "relist": services.can_relist_listing,
}


@pytest.mark.parametrize("status", list(ListingStatus))
@pytest.mark.parametrize("role", [Role.OWNER, Role.SALES, Role.VIEWER])
@pytest.mark.parametrize("verified", [True, False])
def test_listing_actions_match_predicates(dealer_org, status, role, verified):
    dealer_org.kyc_status = "verified" if verified else "pending"
    dealer_org.save()
    user = member_of(dealer_org, role)
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org), status=status)
    from_predicates = [name for name, check in PREDICATES.items() if check(user, listing)]
    batch = services.listing_actions(
        listing=listing, can_manage=services.can_manage_listing(user, listing)
    )
    assert batch == from_predicates


@pytest.mark.parametrize("status", list(ListingStatus))
def test_staff_predicates(staff, status):
    listing = ListingFactory(status=status)
    assert services.can_publish_listing(staff, listing) is (status == ListingStatus.SUBMITTED)
    assert services.can_withdraw_listing(staff, listing) is (
        status in {ListingStatus.DRAFT, ListingStatus.SUBMITTED, ListingStatus.PUBLISHED}
    )
    assert services.can_edit_listing(staff, listing) is False


def test_anonymous_has_no_actions(dealer_org):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org))
    assert [name for name, check in PREDICATES.items() if check(None, listing)] == []
