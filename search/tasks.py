from django_tasks import task


@task()
def listing_index_update(listing_ids: list[int]) -> int:
    """Bring the index in line with the database for these listings, then check saved searches.

    Both backends keep an index (Elasticsearch documents or the database backend's
    ListingSearchEntry rows), so this runs whichever backend is configured.
    """
    from search.services import saved_searches_check
    from search.sync import sync_listings

    count = sync_listings(listing_ids)
    saved_searches_check(listing_ids=listing_ids)
    return count


@task()
def index_rebuild() -> int:
    """Rebuild the whole index (a fact every entry holds changed, e.g. the valuation model)."""
    from search.sync import rebuild_index

    return rebuild_index()
