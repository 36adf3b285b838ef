from django.conf import settings
from django_tasks import task


@task()
def listing_index_update(listing_ids: list[int]) -> int:
    """Bring the index in line with the database for these listings.

    The database backend reads the tables directly, so there is nothing to update for it.
    """
    if settings.SEARCH_BACKEND != "elasticsearch":
        return 0
    from marketplace.search.backends.elasticsearch import sync_listings

    return sync_listings(listing_ids)
