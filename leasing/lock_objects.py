"""Row locks for leasing writes, in the project's lock order.

Project order (marketplace.lock_objects): Lot → BidderQualification → Order → Offer →
Listing → Machine → other apps' rows on a machine → Payment → DepositEntry. Leasing fits in
as::

    LeaseProduct → LeaseApplication → (Listing → Machine) → LeaseContract

An application is a request to buy or refinance a machine, like an order, so it is locked
before the machine; a contract is a row on a machine, so releasing one locks the machine
first. Every lock is ``select_for_update(of=("self",))`` (``related`` rows are read in the
same query, unlocked), several rows of one kind in pk order. Machines are locked with
``marketplace.lock_objects.machine_lock``.
"""

from collections.abc import Iterable

from django.db.models import Model, QuerySet

from leasing.models import LeaseApplication, LeaseContract, LeaseProduct


def _locked(model: type[Model], pks: Iterable[int], related: tuple[str, ...]) -> QuerySet:
    locked = model.objects.select_for_update(of=("self",))
    if related:  # select_related() without names would follow every foreign key
        locked = locked.select_related(*related)
    return locked.filter(pk__in=list(pks)).order_by("pk")


def lease_product_lock(pk: int, *, related: tuple[str, ...] = ()) -> LeaseProduct:
    return _locked(LeaseProduct, [pk], related).get()


def lease_application_lock(pk: int, *, related: tuple[str, ...] = ()) -> LeaseApplication:
    return _locked(LeaseApplication, [pk], related).get()


def lease_contract_lock(pk: int, *, related: tuple[str, ...] = ()) -> LeaseContract:
    return _locked(LeaseContract, [pk], related).get()
