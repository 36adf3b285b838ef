"""The buyer's watchlist: follow a listing on sale and find it again from the dashboard.

Watching is per user (a colleague's watchlist is their own) and idempotent: the unique
(user, listing) constraint makes a double click or two tabs harmless.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import DomainError, PermissionDeniedError
from marketplace.models import Listing, ListingStatus
from trading.errors import TradingErrorCode as Code
from trading.models import WatchedListing

WATCHABLE_STATUSES = (ListingStatus.PUBLISHED, ListingStatus.RESERVED)


def can_watch(user: User | None, listing: Listing) -> bool:
    return bool(user and user.is_authenticated) and listing.status in WATCHABLE_STATUSES


def watchlist_add(*, user: User, listing: Listing) -> WatchedListing:
    """Start watching a listing on sale (or reserved); watching it again changes nothing."""
    if not (user and user.is_authenticated):
        raise PermissionDeniedError(_("请先登录。"))
    if listing.status not in WATCHABLE_STATUSES:
        raise DomainError(_("只能关注在售的设备。"), code=Code.LISTING_NOT_WATCHABLE)
    existing = WatchedListing.objects.filter(user=user, listing=listing).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return WatchedListing.objects.create(user=user, listing=listing)
    except IntegrityError:  # the same user watched it in another request meanwhile
        return WatchedListing.objects.get(user=user, listing=listing)


def watchlist_remove(*, user: User, listing: Listing) -> bool:
    """Stop watching; True when there was something to remove. Works whatever the listing's
    status, so a sold machine can be taken off the list."""
    with transaction.atomic():
        deleted, _rows = WatchedListing.objects.filter(user=user, listing=listing).delete()
    return deleted > 0
