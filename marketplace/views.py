"""HTML views: parse input, call a selector or service, render."""

from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from core.panels import card_extras, render_listing_panels
from marketplace import selectors
from marketplace.models import Brand
from marketplace.services import can_edit_listing, can_manage_listing, can_publish_listing


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _decimal_or_none(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value not in (None, "") else None
    except InvalidOperation:
        return None


def listing_list(request: HttpRequest) -> HttpResponse:
    params = request.GET
    filters = selectors.ListingFilters(
        category=params.get("category", ""),
        brand=params.get("brand", ""),
        city=params.get("city", ""),
        sale_format=params.get("sale_format", ""),
        year_min=_int_or_none(params.get("year_min")),
        year_max=_int_or_none(params.get("year_max")),
        hours_min=_int_or_none(params.get("hours_min")),
        hours_max=_int_or_none(params.get("hours_max")),
        price_min=_decimal_or_none(params.get("price_min")),
        price_max=_decimal_or_none(params.get("price_max")),
    )
    page = Paginator(selectors.listing_search_orm(filters), 24).get_page(params.get("page"))
    listings = list(page.object_list)
    return render(
        request,
        "marketplace/listing_list.html",
        {
            "page": page,
            "listings": listings,
            "filters": filters,
            "extras": card_extras(request, listings),
            "categories": selectors.category_roots(),
            "brands": Brand.objects.all(),
        },
    )


def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.listing_get_for_user(listing_id=pk, user=request.user)
    if listing is None:
        raise Http404
    return render(
        request,
        "marketplace/listing_detail.html",
        {
            "listing": listing,
            "machine": listing.machine,
            "can_manage": can_manage_listing(request.user, listing),
            "can_edit": can_edit_listing(request.user, listing),
            "can_publish": can_publish_listing(request.user, listing),
            "panel_badges": render_listing_panels(request, listing, "badges"),
            "panel_aside": render_listing_panels(request, listing, "aside"),
            "panel_main": render_listing_panels(request, listing, "main"),
        },
    )


@login_required
def dealer_listings(request: HttpRequest) -> HttpResponse:
    listings = selectors.listings_of_user_organizations(request.user)
    return render(request, "marketplace/dealer_listings.html", {"listings": listings})
