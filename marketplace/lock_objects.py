"""Row locks for marketplace writes, and the one order in which every service takes them.

Lock order for the whole project (each kind of row in ascending pk order)::

    Lot → BidderQualification → Order → Offer → Listing → Machine
        → other apps' rows on a machine (LeaseContract, InspectionReport, DisposalRequest …)
        → Payment → DepositEntry

Within the marketplace that means **Listing before Machine**: a transition on a listing locks
the listing; a sale (``listing_mark_sold``) locks the listing, then its machine; hour readings
lock the machine only. A service that needs a row earlier in the order after having locked a
later one must take both at the start instead.

Every lock is ``select_for_update(of=("self",))``: on PostgreSQL a plain
``select_for_update()`` with ``select_related`` also locks the joined rows (the seller, the
machine) in whatever order the join returns them, which hides a second lock in the first and
breaks the order above. ``related`` names are still fetched in the same query, unlocked.
Several rows of one kind are locked in pk order so two services never take them crosswise.
On SQLite (no row locks) these are plain reads; its database-level write lock serialises
writers anyway.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from marketplace.models import Listing, Machine


def listings_lock(pks: Iterable[int], *, related: tuple[str, ...] = ()) -> QuerySet[Listing]:
    """Listings to lock, in pk order; evaluate the queryset inside the transaction."""
    locked = Listing.objects.select_for_update(of=("self",))
    if related:  # select_related() without names would follow every foreign key
        locked = locked.select_related(*related)
    return locked.filter(pk__in=list(pks)).order_by("pk")


def listing_lock(pk: int, *, related: tuple[str, ...] = ()) -> Listing:
    return listings_lock([pk], related=related).get()


def machines_lock(pks: Iterable[int], *, related: tuple[str, ...] = ()) -> QuerySet[Machine]:
    """Machines to lock, in pk order; evaluate the queryset inside the transaction."""
    locked = Machine.objects.select_for_update(of=("self",))
    if related:  # select_related() without names would follow every foreign key
        locked = locked.select_related(*related)
    return locked.filter(pk__in=list(pks)).order_by("pk")


def machine_lock(pk: int, *, related: tuple[str, ...] = ()) -> Machine:
    return machines_lock([pk], related=related).get()
