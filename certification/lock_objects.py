"""Row locks for certification writes, in the project's lock order.

Project order (marketplace.lock_objects): Lot → BidderQualification → Order → Offer →
Listing → Machine → other apps' rows on a machine → Payment → DepositEntry. Inspection
documents are rows on a machine, so certification locks::

    Machine → InspectionReport → InspectionRequest → RemanCertificate

Submitting a report or issuing / revoking a certificate locks the machine first (a document
never changes machine, so the caller's ``machine_id`` names the right one), then the
document, then what it completes (the request) or replaces (the previous version). Every
lock is ``select_for_update(of=("self",))`` (``related`` rows are read in the same query,
unlocked), several rows of one kind in pk order. Machines are locked with
``marketplace.lock_objects.machine_lock``.
"""

from collections.abc import Iterable

from django.db.models import Model, QuerySet

from certification.models import InspectionReport, InspectionRequest, RemanCertificate


def _locked(model: type[Model], pks: Iterable[int], related: tuple[str, ...]) -> QuerySet:
    locked = model.objects.select_for_update(of=("self",))
    if related:  # select_related() without names would follow every foreign key
        locked = locked.select_related(*related)
    return locked.filter(pk__in=list(pks)).order_by("pk")


def inspection_report_lock(pk: int, *, related: tuple[str, ...] = ()) -> InspectionReport:
    return _locked(InspectionReport, [pk], related).get()


def inspection_request_lock(pk: int, *, related: tuple[str, ...] = ()) -> InspectionRequest:
    return _locked(InspectionRequest, [pk], related).get()


def reman_certificate_lock(pk: int, *, related: tuple[str, ...] = ()) -> RemanCertificate:
    return _locked(RemanCertificate, [pk], related).get()
