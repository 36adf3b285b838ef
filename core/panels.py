"""Extension points on listing pages: each domain app contributes panels without the
marketplace importing it. Registered in settings.LISTING_PANELS / LISTING_CARD_EXTRAS.

Core knows nothing of listings beyond their primary key: the panels receive the marketplace's
``Listing`` rows as they are, typed here by :class:`Listing` (a protocol)."""

from typing import Any, Protocol

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe


class Listing(Protocol):
    """What core reads of a listing: its primary key (marketplace.models.Listing fits)."""

    pk: Any


def render_listing_panels(request: HttpRequest, listing: Listing, slot: str) -> SafeString:
    parts = [import_string(path)(request, listing) for path in settings.LISTING_PANELS[slot]]
    return mark_safe("".join(part for part in parts if part))  # noqa: S308 - rendered templates


def card_extras(request: HttpRequest, listings: list[Listing]) -> dict[int, SafeString]:
    merged: dict[int, list[str]] = {listing.pk: [] for listing in listings}
    for path in settings.LISTING_CARD_EXTRAS:
        for listing_id, html in import_string(path)(request, listings).items():
            if html:
                merged.setdefault(listing_id, []).append(html)
    return {key: mark_safe("".join(value)) for key, value in merged.items()}  # noqa: S308
