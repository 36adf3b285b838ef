"""The one "listing changed" event that other apps react to (search's index, first of all).

A write that changes what a listing shows (its status, price, machine, hours, certificates,
financing, auction) calls :func:`listing_changed` inside its transaction. After the commit
the marketplace sends :data:`listings_changed` once per changed listing; a rolled-back change
sends nothing. The marketplace knows none of its receivers, so it imports no app that
listens (the dependency points from search to marketplace, never back).

Receivers, connected in their AppConfig.ready:

- ``search.receivers.listings_changed_reindex`` (search's AppConfig) queues the index update
  of those listings and the saved-search check.
"""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

from marketplace.models import Listing

# send(sender=Listing, listing_ids: list[int]) after the commit that changed the listings.
listings_changed = Signal()


def _send(listing_ids: list[int]) -> None:
    listings_changed.send(sender=Listing, listing_ids=listing_ids)


def listing_changed(listing_id: int) -> None:
    """Announce that this listing changed, once the current transaction commits."""
    transaction.on_commit(partial(_send, [listing_id]))


def listings_changed_now(listing_ids: list[int]) -> None:
    """Announce changes that are already committed (bulk loads such as the demo seed)."""
    _send(list(listing_ids))
