"""Facts about listings that other apps own, for the index: ``settings.SEARCH_ENRICHERS``.

Search asks three questions it cannot answer itself. Each app that can answer one registers
a read function in the setting, under the entry field it fills::

    SEARCH_ENRICHERS = {
        "has_financing": "leasing.selectors.listing_ids_with_financing",  # ids -> set[int]
        "valuation": "valuation.selectors.latest_listing_valuations",  # ids -> {id: Decimal}
        "closes_at": "trading.selectors.listing_auction_end_times",  # ids -> {id: datetime}
    }

Each function takes a list of listing ids and answers for those it knows (one batch, a
constant number of queries). A field nobody registers means "no information": no listing has
financing, "best value" falls back to newest first, and an auction closes at the listing's
``expires_at``. Search imports none of these apps; a path that does not import is a
configuration error and raises.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string

FINANCING = "has_financing"
VALUATION = "valuation"
CLOSES_AT = "closes_at"


def _enricher(field: str) -> Callable | None:
    path = getattr(settings, "SEARCH_ENRICHERS", {}).get(field)
    return import_string(path) if path else None


def financing_available(listing_ids: Iterable[int]) -> set[int] | None:
    """Listing ids with financing, or None when no app says."""
    function = _enricher(FINANCING)
    return None if function is None else set(function(list(listing_ids)))


def latest_valuations(listing_ids: Iterable[int]) -> dict[int, Decimal] | None:
    """Latest valuation per listing, or None when no app provides valuations."""
    function = _enricher(VALUATION)
    return None if function is None else dict(function(list(listing_ids)))


def auction_end_times(listing_ids: Iterable[int]) -> dict[int, dt.datetime] | None:
    function = _enricher(CLOSES_AT)
    return None if function is None else dict(function(list(listing_ids)))


def valuations_supported() -> bool:
    return _enricher(VALUATION) is not None
