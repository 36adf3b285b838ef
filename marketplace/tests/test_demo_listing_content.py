"""Demo price drops and questions (marketplace.demo.listing_content)."""

from decimal import Decimal

import pytest

from accounts.tests.factories import UserFactory
from marketplace.demo.listing_content import demo_listing_content_seed
from marketplace.listing_page import recent_price_drops
from marketplace.models import ListingPriceChange, ListingQuestion, QuestionStatus
from marketplace.tests.factories import PublishedListingFactory

pytestmark = pytest.mark.django_db


def test_drops_match_the_listings_and_a_rerun_adds_nothing():
    UserFactory(username="buyer")
    listings = [
        PublishedListingFactory(is_simulated=True, asking_price=Decimal("380000.00"))
        for _ in range(60)
    ]
    made = demo_listing_content_seed(seed=7, log=lambda _line: None)
    assert made == ListingPriceChange.objects.count() > 0
    for change in ListingPriceChange.objects.select_related("listing"):
        assert change.listing.asking_price == change.new_price < change.old_price
        assert change.new_price % 1000 == 0
    assert set(recent_price_drops([item.pk for item in listings])) == set(
        ListingPriceChange.objects.values_list("listing_id", flat=True)
    )
    assert ListingQuestion.objects.filter(status=QuestionStatus.PUBLISHED).count() == 6
    assert demo_listing_content_seed(seed=7, log=lambda _line: None) == 0
    assert ListingQuestion.objects.count() == 6
