"""Adapters to other apps' read functions that may not exist yet.

Search asks three questions it cannot answer itself. Each adapter imports the other app's
selector lazily and answers "no information" when it is missing, so search works before those
apps land and picks them up without a change here:

- leasing: ``leasing.selectors.listing_ids_with_financing(listing_ids) -> set[int]``
- valuation: ``valuation.selectors.latest_listing_valuations(listing_ids) -> {id: Decimal}``
- trading: ``trading.selectors.listing_auction_end_times(listing_ids) -> {id: datetime}``;
  without it an auction listing closes at its ``expires_at``.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from importlib import import_module

FINANCING = ("leasing.selectors", "listing_ids_with_financing")
VALUATIONS = ("valuation.selectors", "latest_listing_valuations")
AUCTION_ENDS = ("trading.selectors", "listing_auction_end_times")


def _resolve(target: tuple[str, str]) -> Callable | None:
    module_name, attribute = target
    try:
        module = import_module(module_name)
    except ImportError:
        return None
    return getattr(module, attribute, None)


def financing_available(listing_ids: Iterable[int]) -> set[int] | None:
    """Listing ids with financing, or None when the leasing app cannot say."""
    function = _resolve(FINANCING)
    return None if function is None else set(function(list(listing_ids)))


def latest_valuations(listing_ids: Iterable[int]) -> dict[int, Decimal] | None:
    """Latest valuation per listing, or None when valuation does not provide them yet."""
    function = _resolve(VALUATIONS)
    return None if function is None else dict(function(list(listing_ids)))


def auction_end_times(listing_ids: Iterable[int]) -> dict[int, dt.datetime] | None:
    function = _resolve(AUCTION_ENDS)
    return None if function is None else dict(function(list(listing_ids)))


def valuations_supported() -> bool:
    return _resolve(VALUATIONS) is not None
