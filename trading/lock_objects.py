"""Row locks for trading writes.

Lock order for the whole project (each kind of row in ascending pk order)::

    Lot → BidderQualification → Order → Offer → Listing → Machine
        → other apps' rows on a machine (LeaseContract, InspectionReport, DisposalRequest …)
        → Payment → DepositEntry

In trading: a bid or a close locks the lot, then its qualifications; a default locks the
winner's qualification before the order; payments (``trading.payment_kinds``) lock the
qualification or the order, and only then the payment. Listings and machines are locked
through ``marketplace.lock_objects`` after the trading rows.

Every lock is ``select_for_update(of=("self",))``: with ``select_related`` a plain
``select_for_update()`` also locks the joined rows on PostgreSQL. ``related`` names are
still fetched in the same query, unlocked. On SQLite these are plain reads.
"""

from collections.abc import Iterable

from django.db.models import Model, Q, QuerySet

from trading.models import BidderQualification, Lot, Offer, Order


def _locked(model: type[Model], related: tuple[str, ...]) -> QuerySet:
    queryset = model.objects.select_for_update(of=("self",))
    if related:  # select_related() without names would follow every foreign key
        queryset = queryset.select_related(*related)
    return queryset


def lots_lock(pks: Iterable[int], *, related: tuple[str, ...] = ()) -> QuerySet[Lot]:
    return _locked(Lot, related).filter(pk__in=list(pks)).order_by("pk")


def lot_lock(pk: int, *, related: tuple[str, ...] = ()) -> Lot:
    return lots_lock([pk], related=related).get()


def qualifications_lock(*conditions: Q, **lookups) -> QuerySet[BidderQualification]:
    """Qualifications matching the filter, in pk order (evaluate inside the transaction)."""
    return _locked(BidderQualification, ()).filter(*conditions, **lookups).order_by("pk")


def qualification_lock(pk: int) -> BidderQualification:
    return qualifications_lock(pk=pk).get()


def orders_lock(pks: Iterable[int], *, related: tuple[str, ...] = ()) -> QuerySet[Order]:
    return _locked(Order, related).filter(pk__in=list(pks)).order_by("pk")


def order_lock(pk: int, *, related: tuple[str, ...] = ()) -> Order:
    return orders_lock([pk], related=related).get()


def offer_lock(pk: int, *, related: tuple[str, ...] = ()) -> Offer:
    return _locked(Offer, related).filter(pk=pk).get()
