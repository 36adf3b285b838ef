"""Search's receiver of marketplace's one "listing changed" event (marketplace.events).

Connected in SearchConfig.ready. The event is sent after the commit that changed the
listings, so the index update (and the saved-search check that follows it) is queued only for
changes that happened.
"""

from django.db import transaction

from search.tasks import index_rebuild, listing_index_update


def listings_changed_reindex(*, listing_ids: list[int], **kwargs: object) -> None:
    listing_index_update.enqueue(list(listing_ids))


def whole_index_fact_saved(*, sender, instance, field: str | None, **kwargs: object) -> None:
    """A row of ``settings.SEARCH_REINDEX_ON_SAVE`` was saved (with its field set): every
    entry's copy of that fact is stale, so the whole index is rebuilt after the commit."""
    if field is None or getattr(instance, field, False):
        transaction.on_commit(index_rebuild.enqueue)
