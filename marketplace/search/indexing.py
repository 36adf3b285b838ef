"""How the rest of the code tells search that listings changed.

Services call :func:`listing_changed` inside their transaction; the index update is queued
only after the commit, so a rolled-back change never reaches the index.
"""

from functools import partial

from django.db import transaction


def listing_changed(listing_id: int) -> None:
    from marketplace.search.tasks import listing_index_update

    transaction.on_commit(partial(listing_index_update.enqueue, [listing_id]))
