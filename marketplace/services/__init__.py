"""Writes for the marketplace: machines, hour readings, listings and their state machine.

Every transition locks the listing row, checks the source state against
``LISTING_TRANSITIONS``, checks the actor's permission, saves with ``update_fields`` and
writes a ``ListingEvent`` in the same transaction. Search learns of the change after commit.

A package by use case: ``machines`` (machines, hour readings, maintenance),
``predicates`` (the state table and ``can_*``), ``listings`` (drafts and transitions),
``photos`` and ``sales``. Every public name is importable from ``marketplace.services``.
"""

from marketplace.services.listings import (
    DESCRIPTION_TOO_LONG,
    LISTING_APPROVED_TITLE,
    LISTING_LIFETIME,
    LISTING_REJECTED_TITLE,
    MAX_DESCRIPTION_LENGTH,
    ListingInput,
    listing_create,
    listing_create_with_machine,
    listing_expire,
    listing_publish,
    listing_reject,
    listing_release,
    listing_relist,
    listing_reserve,
    listing_submit,
    listing_update,
    listing_withdraw,
    listings_expire_due,
)
from marketplace.services.machines import (
    MachineInput,
    can_correct_reading,
    check_hours_plausible,
    hour_reading_correct,
    hour_reading_record,
    machine_create,
    machine_hours_report,
    maintenance_record_add,
)
from marketplace.services.photos import (
    MAX_PHOTOS_PER_LISTING,
    listing_photo_add,
    listing_photo_delete,
)
from marketplace.services.predicates import (
    EDITABLE_STATUSES,
    LISTING_TRANSITIONS,
    S,
    can_edit_listing,
    can_manage_listing,
    can_publish_listing,
    can_relist_listing,
    can_submit_listing,
    can_transition,
    can_withdraw_listing,
    listing_actions,
    seller_publishes_directly,
)
from marketplace.services.sales import listing_mark_sold

__all__ = [
    "DESCRIPTION_TOO_LONG",
    "EDITABLE_STATUSES",
    "LISTING_APPROVED_TITLE",
    "LISTING_LIFETIME",
    "LISTING_REJECTED_TITLE",
    "LISTING_TRANSITIONS",
    "MAX_DESCRIPTION_LENGTH",
    "MAX_PHOTOS_PER_LISTING",
    "ListingInput",
    "MachineInput",
    "S",
    "can_correct_reading",
    "can_edit_listing",
    "can_manage_listing",
    "can_publish_listing",
    "can_relist_listing",
    "can_submit_listing",
    "can_transition",
    "can_withdraw_listing",
    "check_hours_plausible",
    "hour_reading_correct",
    "hour_reading_record",
    "listing_actions",
    "listing_create",
    "listing_create_with_machine",
    "listing_expire",
    "listing_mark_sold",
    "listing_photo_add",
    "listing_photo_delete",
    "listing_publish",
    "listing_reject",
    "listing_release",
    "listing_relist",
    "listing_reserve",
    "listing_submit",
    "listing_update",
    "listing_withdraw",
    "listings_expire_due",
    "machine_create",
    "machine_hours_report",
    "maintenance_record_add",
    "seller_publishes_directly",
]
