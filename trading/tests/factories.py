import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from marketplace.models import SaleFormat
from marketplace.tests.factories import PublishedListingFactory
from trading.models import BidderQualification, DepositMethod, Lot, QualificationStatus


class AuctionListingFactory(PublishedListingFactory):
    sale_format = SaleFormat.AUCTION
    asking_price = None


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    listing = factory.SubFactory(AuctionListingFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=2))
    scheduled_ends_at = factory.LazyAttribute(lambda o: o.ends_at)
    soft_close_minutes = 5
    opening_bid = Decimal("100000.00")
    reserve_price = None


class QualificationFactory(factory.django.DjangoModelFactory):
    """An active bidder (deposit waived) — for tests that are about bidding, not deposits."""

    class Meta:
        model = BidderQualification

    lot = factory.SubFactory(LotFactory)
    bidding_limit = Decimal("5000000.00")
    deposit_amount = Decimal("0.00")
    method = DepositMethod.WAIVED
    status = QualificationStatus.ACTIVE
