"""Search's names for the one listing query object, which lives in marketplace.listing_query
(the browse page and /api/listings/ use the same object), and the suggestion box's parser."""

from django.http import QueryDict
from django.utils.translation import gettext as _

from marketplace.listing_query import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_PRICE,
    MAX_RADIUS_KM,
    MAX_RESULT_WINDOW,
    MAX_TEXT_LENGTH,
    QUERY_PARAMS,
    ParamParser,
    Sort,
    sort_labels,
)
from marketplace.listing_query import ListingQuery as SearchQuery
from marketplace.listing_query import ListingQueryError as SearchValidationError
from marketplace.listing_query import parse_listing_query as parse_search_query

__all__ = [
    "MAX_PAGE",
    "MAX_PAGE_SIZE",
    "MAX_PRICE",
    "MAX_RADIUS_KM",
    "MAX_RESULT_WINDOW",
    "MAX_TEXT_LENGTH",
    "QUERY_PARAMS",
    "SearchQuery",
    "SearchValidationError",
    "Sort",
    "parse_search_query",
    "parse_suggest_text",
    "sort_labels",
]


def parse_suggest_text(params: QueryDict | dict) -> str:
    """The search box's text for suggestions (longer text is cut, not refused).

    Raises SearchValidationError for text the database cannot take (a NUL byte)."""
    parser = ParamParser(params)
    text = parser.text("q", max_length=10_000)[:50]
    if parser.errors:
        raise SearchValidationError(_("搜索条件有误。"), code="invalid_query", fields=parser.errors)
    return text
