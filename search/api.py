"""Search API: listings with facets, and suggestions for the search box."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from search.query import QUERY_PARAMS, parse_search_query, parse_suggest_text
from search.results import SearchResult
from search.selectors import listing_search, listings_for_hits, search_suggestions


def _listing_data(listing) -> dict:
    machine = listing.machine
    return {
        "id": listing.pk,
        "title": listing.title,
        "url": f"/listings/{listing.pk}/",
        "asking_price": str(listing.asking_price) if listing.asking_price is not None else None,
        "currency": listing.currency,
        "sale_format": listing.sale_format,
        "brand": machine.brand.slug,
        "model": machine.equipment_model.name,
        "year": machine.year_of_manufacture,
        "hours": machine.current_hours,
        "province": machine.province,
        "city": machine.city,
    }


def result_data(result: SearchResult) -> dict:
    listings = {listing.pk: listing for listing in listings_for_hits(result)}
    return {
        "total": result.total,
        "page": result.page,
        "page_size": result.page_size,
        "num_pages": result.num_pages,
        "notices": result.notices,
        "hits": [
            {
                "id": hit.listing_id,
                "score": hit.score,
                "highlights": hit.highlights,
                "distance_km": hit.distance_km,
                "listing": _listing_data(listings[hit.listing_id]),
            }
            for hit in result.hits
            if hit.listing_id in listings
        ],
        "facets": {
            name: [
                {"value": v.value, "label": v.label, "count": v.count, "depth": v.depth}
                for v in values
            ]
            for name, values in result.facets.items()
        },
    }


class ListingSearchAPI(APIView):
    """Published listings matching the query, with facet counts. Bad parameters give 400."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter(name, str, required=False) for name in sorted(QUERY_PARAMS)],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        result = listing_search(parse_search_query(request.query_params))
        return Response(result_data(result))


class SuggestAPI(APIView):
    """Completions for the search box: brands, models, categories and cities."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("q", str, required=True)], responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response(search_suggestions(parse_suggest_text(request.query_params)))
