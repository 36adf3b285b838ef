"""What the trading app adds to listing pages and cards (see core.panels)."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from accounts.permissions import Permission, has_org_permission
from marketplace.models import Listing, ListingStatus, SaleFormat
from marketplace.sellability import listing_sale_block
from trading import selectors
from trading.forms import OfferForm
from trading.models import LotStatus
from trading.services.orders import order_quote
from trading.services.watchlist import can_watch


def listing_panel(request: HttpRequest, listing: Listing) -> str:
    """The buy / offer / bid box of the listing page; a machine that cannot be sold shows
    why (marketplace.sellability) instead of the buy, offer and bid buttons."""
    sale_block = listing_sale_block(listing)
    lot = (
        selectors.open_lot_for_listing(listing)
        if listing.sale_format == SaleFormat.AUCTION
        else None
    )
    context = {
        "listing": listing,
        "lot": lot,
        "sale_block": sale_block,
        "available": listing.status == ListingStatus.PUBLISHED and sale_block is None,
        "quote": order_quote(price=listing.asking_price) if listing.asking_price else None,
        "offer_form": OfferForm(),
        "accepts_offers": listing.sale_format != SaleFormat.AUCTION
        and listing.asking_price is not None,
        "can_start_auction": lot is None
        and listing.sale_format == SaleFormat.AUCTION
        and listing.status == ListingStatus.PUBLISHED
        and sale_block is None
        and has_org_permission(request.user, listing.seller, Permission.TRADE_SELL),
    }
    return render_to_string("trading/panel.html", context, request=request)


def _time_left(seconds: float) -> str:
    if seconds >= 86400:
        return _("剩 %(n)d 天") % {"n": seconds // 86400}
    if seconds >= 3600:
        return _("剩 %(n)d 小时") % {"n": seconds // 3600}
    return _("剩 %(n)d 分钟") % {"n": max(1, seconds // 60)}


def card_extras(request: HttpRequest, listings: list[Listing]) -> dict[int, str]:
    """ "拍卖 · 剩 2 小时" on auction cards, computed for the whole page in one query."""
    lots = selectors.open_lots_by_listing(
        [listing.pk for listing in listings if listing.sale_format == SaleFormat.AUCTION]
    )
    now = timezone.now()
    extras = {}
    for listing_id, lot in lots.items():
        if lot.status == LotStatus.OPEN:
            left = _time_left((lot.ends_at - now).total_seconds())
            extras[listing_id] = format_html(
                '<span class="badge warn">{} · {}</span>', _("拍卖"), left
            )
    return extras


def watch_panel(request: HttpRequest, listing: Listing) -> str:
    """The watch / unwatch button of the listing page (the buyer's watchlist)."""
    context = {
        "listing": listing,
        "watching": selectors.is_watching(request.user, listing),
        "can_watch": can_watch(request.user, listing),
    }
    return render_to_string("trading/_watch_button.html", context, request=request)


def price_panel(request: HttpRequest, listing: Listing) -> str:
    """The headline price of an auction listing: the lot's current price, as the auction page
    shows it (trading/_lot_price.html), instead of a start or reserve price. Empty for
    listings without a lot, which keep their asking price."""
    if listing.sale_format != SaleFormat.AUCTION:
        return ""
    lot = selectors.open_lot_for_listing(listing)
    if lot is None:
        return ""
    return render_to_string("trading/_price_headline.html", {"lot": lot}, request=request)
