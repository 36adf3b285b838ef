"""The listing state table and the ``can_*`` predicates that pages, the API and the
services share.
"""

from accounts.models import Organization, User
from accounts.permissions import Permission, has_org_permission, is_platform_staff
from marketplace.models import Listing, ListingStatus

S = ListingStatus


LISTING_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.PUBLISHED, S.REJECTED, S.WITHDRAWN},
    S.PUBLISHED: {S.RESERVED, S.WITHDRAWN, S.EXPIRED, S.REJECTED},
    S.RESERVED: {S.SOLD, S.PUBLISHED},
    S.REJECTED: {S.DRAFT},
    S.WITHDRAWN: {S.DRAFT},
    S.EXPIRED: {S.DRAFT},
    S.SOLD: set(),
}


EDITABLE_STATUSES = {S.DRAFT, S.REJECTED}


def can_manage_listing(user: User | None, listing: Listing) -> bool:
    return has_org_permission(user, listing.seller, Permission.LISTING_MANAGE)


def can_edit_listing(user: User | None, listing: Listing) -> bool:
    return listing.status in EDITABLE_STATUSES and can_manage_listing(user, listing)


def can_transition(listing: Listing, to_status: str) -> bool:
    return to_status in LISTING_TRANSITIONS[listing.status]


def seller_publishes_directly(organization: Organization) -> bool:
    """Publishing always passes moderation, unless staff marked the seller trusted."""
    return organization.is_verified and organization.is_trusted_seller


def can_publish_listing(user: User | None, listing: Listing) -> bool:
    """Staff approve; a trusted seller (marked by staff) may publish its own listing."""
    if not can_transition(listing, S.PUBLISHED) or listing.status != S.SUBMITTED:
        return False
    if is_platform_staff(user):
        return True
    return seller_publishes_directly(listing.seller) and can_manage_listing(user, listing)


def can_submit_listing(user: User | None, listing: Listing) -> bool:
    return can_transition(listing, S.SUBMITTED) and can_manage_listing(user, listing)


def can_withdraw_listing(user: User | None, listing: Listing) -> bool:
    if not can_transition(listing, S.WITHDRAWN):
        return False
    return is_platform_staff(user) or can_manage_listing(user, listing)


def can_relist_listing(user: User | None, listing: Listing) -> bool:
    return (
        listing.status != S.DRAFT
        and can_transition(listing, S.DRAFT)
        and can_manage_listing(user, listing)
    )


def listing_actions(*, listing: Listing, can_manage: bool, is_staff: bool = False) -> list[str]:
    """The seller-side actions shown for a listing, without a query per predicate.

    Mirrors the ``can_*`` predicates for pages that list many listings at once; the
    services still check everything again when the action is posted.
    """
    if not can_manage:
        return []
    actions = []
    if listing.status in EDITABLE_STATUSES:
        actions.append("edit")
    if can_transition(listing, S.SUBMITTED):
        actions.append("submit")
    if listing.status == S.SUBMITTED and (is_staff or seller_publishes_directly(listing.seller)):
        actions.append("publish")
    if can_transition(listing, S.WITHDRAWN):
        actions.append("withdraw")
    if listing.status != S.DRAFT and can_transition(listing, S.DRAFT):
        actions.append("relist")
    return actions
