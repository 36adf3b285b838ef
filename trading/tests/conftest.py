import pytest

from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from trading.tests.factories import LotFactory, QualificationFactory


@pytest.fixture
def lot(dealer_org):
    from trading.tests.factories import AuctionListingFactory

    listing = AuctionListingFactory(machine__owner=dealer_org)
    return LotFactory(listing=listing)


def make_bidder(lot, name: str, limit=None):
    """A verified buyer organization with one buying user, qualified on ``lot``."""
    org = OrganizationFactory(name=f"{name}公司", kind=OrganizationKind.BUYER)
    user = member_of(org, Role.BUYER, username=name)
    kwargs = {"bidding_limit": limit} if limit is not None else {}
    QualificationFactory(lot=lot, bidder=org, **kwargs)
    return org, user


@pytest.fixture
def bidders(lot):
    return [make_bidder(lot, name) for name in ("alice", "bob", "carol")]
