"""What the valuation app adds to listing pages and cards (see core.panels)."""

from django.http import HttpRequest

from marketplace.models import Listing


def listing_panel(request: HttpRequest, listing: Listing) -> str:
    """HTML for the listing detail page; empty until this app has something to show."""
    return ""


def card_extras(request: HttpRequest, listings: list[Listing]) -> dict[int, str]:
    """Short HTML per listing card, computed for the whole page at once (no N+1)."""
    return {}
