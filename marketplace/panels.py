"""What the marketplace itself adds to listing cards (core.panels, LISTING_CARD_EXTRAS):
the "降价" badge of a recent price drop."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.money import format_cny
from marketplace.listing_page import recent_price_drops
from marketplace.models import Listing, ListingPriceChange


def price_drop_badge(change: ListingPriceChange) -> str:
    """ "降价 ¥20,000" with the earlier price in its title."""
    return format_html(
        '<span class="badge price-drop" title="{}">{} {}</span>',
        _("原价 %(price)s") % {"price": format_cny(change.old_price)},
        _("降价"),
        format_cny(change.old_price - change.new_price).removesuffix(".00"),
    )


def card_extras(request: HttpRequest, listings: list[Listing]) -> dict[int, str]:
    """One query for the whole page."""
    drops = recent_price_drops([listing.pk for listing in listings])
    return {listing_id: price_drop_badge(change) for listing_id, change in drops.items()}
