"""Closing a sale: the listing sold, the machine's ownership transferred, the sale recorded."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from core.errors import ConflictError
from marketplace.lock_objects import listing_lock, machine_lock
from marketplace.models import Listing, OwnershipTransfer, SaleRecord, SaleSource
from marketplace.sale_records import sale_record_snapshot
from marketplace.services.listings import _transition
from marketplace.services.predicates import S


@transaction.atomic
def listing_mark_sold(
    *,
    listing: Listing,
    price: Decimal,
    channel: str,
    buyer: Organization | None,
    actor: User | None,
    sold_on: dt.date | None = None,
) -> SaleRecord:
    """Close a sale: listing sold, ownership transferred, and a SaleRecord for the model
    (in the listing's currency, see marketplace.sale_records).

    Locks the listing, then its machine (marketplace.lock_objects order)."""
    locked = listing_lock(listing.pk, related=("seller",))
    machine = machine_lock(locked.machine_id)
    if machine.is_encumbered:
        raise ConflictError(
            _("该设备存在未解除的融资租赁登记，解除前不能过户。"), code="machine_encumbered"
        )
    locked.machine = machine
    listing = _transition(listing=locked, to_status=S.SOLD, actor=actor, is_locked=True)
    record = SaleRecord.objects.create(
        **sale_record_snapshot(
            machine,
            listing,
            price=price,
            channel=channel,
            sold_on=sold_on or timezone.localdate(),
            source=SaleSource.PLATFORM,
        )
    )
    if buyer is not None and buyer.pk != machine.owner_id:
        OwnershipTransfer.objects.create(
            machine=machine, from_owner=machine.owner, to_owner=buyer, reason="sale"
        )
        machine.owner = buyer
        machine.save(update_fields=["owner"])
    return record
