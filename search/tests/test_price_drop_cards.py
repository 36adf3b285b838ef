"""The browse page's cards carry the marketplace's price-drop badge (LISTING_CARD_EXTRAS)."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from marketplace.services.listing_content import listing_price_change
from marketplace.tests.factories import MachineFactory, PublishedListingFactory
from search.sync import rebuild_index

pytestmark = pytest.mark.django_db


def test_browse_cards_show_a_recent_price_drop(client, dealer_org, dealer):
    machine = MachineFactory(owner=dealer_org)
    listing = PublishedListingFactory(machine=machine, asking_price=D(380000))
    listing_price_change(listing=listing, actor=dealer, new_price=D(350000))
    rebuild_index()  # the browse page lists what the search index holds
    cards = client.get(reverse("search:search")).content.decode()
    badge = '<span class="badge price-drop" title="原价 ¥380,000.00">降价 ¥30,000</span>'
    assert badge in cards
