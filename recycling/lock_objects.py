"""Row locks for recycling writes, in the project's lock order.

Project order (marketplace.lock_objects): Lot → BidderQualification → Order → Offer →
Listing → Machine → other apps' rows on a machine → Payment → DepositEntry. A disposal is a
row on a machine, so recycling locks::

    Listing → Machine → DisposalRequest → DisposalQuote → DisposalCertificate

Completing a disposal withdraws the machine's live listings, so it locks those listings
first, then the machine, then the request (a request never changes machine). Every lock is
``select_for_update(of=("self",))`` (``related`` rows are read in the same query, unlocked),
several rows of one kind in pk order. Listings and machines are locked with
``marketplace.lock_objects``.
"""

from collections.abc import Iterable

from django.db.models import Model, QuerySet

from recycling.models import DisposalCertificate, DisposalQuote, DisposalRequest


def _locked(model: type[Model], pks: Iterable[int], related: tuple[str, ...]) -> QuerySet:
    locked = model.objects.select_for_update(of=("self",))
    if related:  # select_related() without names would follow every foreign key
        locked = locked.select_related(*related)
    return locked.filter(pk__in=list(pks)).order_by("pk")


def disposal_request_lock(pk: int, *, related: tuple[str, ...] = ()) -> DisposalRequest:
    return _locked(DisposalRequest, [pk], related).get()


def disposal_quote_lock(pk: int, *, related: tuple[str, ...] = ()) -> DisposalQuote:
    return _locked(DisposalQuote, [pk], related).get()


def disposal_certificate_lock(pk: int, *, related: tuple[str, ...] = ()) -> DisposalCertificate:
    return _locked(DisposalCertificate, [pk], related).get()
