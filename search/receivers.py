"""Search's receiver of marketplace's one "listing changed" event (marketplace.events).

Connected in SearchConfig.ready. The event is sent after the commit that changed the
listings, so the index update (and the saved-search check that follows it) is queued only for
changes that happened.
"""

from search.tasks import listing_index_update


def listings_changed_reindex(*, listing_ids: list[int], **kwargs: object) -> None:
    listing_index_update.enqueue(list(listing_ids))
