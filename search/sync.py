"""Keep the configured backend in line with the database (called by the index-update task)."""

from collections.abc import Callable, Iterable

from search.backends import get_backend


def sync_listings(listing_ids: Iterable[int]) -> int:
    return get_backend().sync_listings(list(listing_ids))


def rebuild_index(progress: Callable[[int, int], None] | None = None) -> int:
    return get_backend().rebuild(progress)
