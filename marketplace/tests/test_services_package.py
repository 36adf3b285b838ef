"""marketplace.services is a package by use case; every name the module had is still
importable from ``marketplace.services``, and no part passes the 500-line rule."""

from pathlib import Path

import marketplace.services as services

# The public names of the former marketplace/services.py module.
PUBLIC_NAMES = [
    "S", "LISTING_TRANSITIONS", "EDITABLE_STATUSES", "LISTING_APPROVED_TITLE",
    "LISTING_REJECTED_TITLE", "LISTING_LIFETIME", "MAX_PHOTOS_PER_LISTING",
    "MAX_DESCRIPTION_LENGTH", "DESCRIPTION_TOO_LONG", "MachineInput", "machine_create",
    "check_hours_plausible", "hour_reading_record", "can_correct_reading",
    "hour_reading_correct", "maintenance_record_add", "can_manage_listing", "can_edit_listing",
    "can_transition", "seller_publishes_directly", "can_publish_listing", "can_submit_listing",
    "can_withdraw_listing", "can_relist_listing", "listing_actions", "ListingInput",
    "listing_create", "listing_create_with_machine", "machine_hours_report", "listing_update",
    "listing_photo_add", "listing_photo_delete", "listing_submit", "listing_publish",
    "listing_reject", "listing_withdraw", "listing_relist", "listing_expire",
    "listings_expire_due", "listing_reserve", "listing_release", "listing_mark_sold",
]  # fmt: skip


def test_every_former_public_name_is_importable_from_the_package():
    missing = [name for name in PUBLIC_NAMES if not hasattr(services, name)]
    assert missing == []
    assert sorted(services.__all__) == sorted(PUBLIC_NAMES)


def test_each_part_of_the_package_stays_under_500_lines():
    package = Path(services.__file__).parent
    sizes = {path.name: len(path.read_text().splitlines()) for path in package.glob("*.py")}
    assert set(sizes) == {
        "__init__.py",
        "listing_content.py",  # price changes and buyer questions (issue #14)
        "listings.py",
        "machines.py",
        "photos.py",
        "predicates.py",
        "sales.py",
    }
    assert {name: size for name, size in sizes.items() if size >= 500} == {}
