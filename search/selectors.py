"""Reads: run a search, load the listings for its hits, suggest completions, and what a
search without results would find with one filter fewer."""

from dataclasses import dataclass

from django.db.models import Q

from core.geo import CITIES
from marketplace.models import Brand, Category, EquipmentModel, Listing
from marketplace.selectors import listings_with_card_data
from search.backends import get_backend
from search.query import SearchQuery, SearchValidationError
from search.resolve import resolve
from search.results import Completions, SearchResult
from search.text import normalise_code

SUGGESTION_LIMIT = 6


def listing_search(
    query: SearchQuery, *, restrict_ids: list[int] | None = None, with_facets: bool = True
) -> SearchResult:
    """Run the query on the configured backend (raises SearchValidationError on unknown slugs)."""
    resolved = resolve(query, restrict_ids=restrict_ids)
    result = get_backend().search(resolved, with_facets=with_facets)
    for original, corrected in resolved.plan.corrections:
        result.notices.append(f"{original} → {corrected}")
    return result


# The filters a page without results offers to drop, one at a time, in this order; each entry
# is the query fields one link clears (the distance's city and radius go together).
RELAXABLE_FILTERS: tuple[tuple[str, ...], ...] = (
    ("category",),
    ("brand",),
    ("model",),
    ("year_min",),
    ("year_max",),
    ("hours_min",),
    ("hours_max",),
    ("price_min",),
    ("price_max",),
    ("province",),
    ("city",),
    ("near", "radius_km"),
    ("grade",),
    ("inspected",),
    ("certified",),
    ("remanufactured",),
    ("financing",),
    ("sale_format",),
    ("closing_before",),
    ("seller_type",),
    ("text",),
)


ALL_FILTERS = ("*",)


@dataclass(frozen=True)
class Relaxation:
    """The query with ``dropped`` cleared, and how many listings it finds."""

    dropped: tuple[str, ...]
    query: SearchQuery
    total: int


def search_relaxations(query: SearchQuery) -> list[Relaxation]:
    """For a search without results: each active filter (and the text) dropped on its own, with
    the number of listings that would give, most results first, then (with two filters or
    more) all filters dropped at once (``ALL_FILTERS``, the text kept). One count per link
    (at most ``len(RELAXABLE_FILTERS) + 1``), without facets."""
    default = SearchQuery()
    found = []
    for names in RELAXABLE_FILTERS:
        if all(getattr(query, name) == getattr(default, name) for name in names):
            continue
        relaxed = query.with_changes(page=1, **{name: getattr(default, name) for name in names})
        try:
            total = listing_search(relaxed, with_facets=False).total
        except SearchValidationError:  # cannot happen for a query that ran; never a 500
            continue
        found.append(Relaxation(names, relaxed, total))
    found.sort(key=lambda relaxation: -relaxation.total)
    filters = [relaxation for relaxation in found if relaxation.dropped != ("text",)]
    if len(filters) > 1:  # and every filter at once, keeping the text
        everything = SearchQuery(text=query.text, sort=query.sort, page_size=query.page_size)
        total = listing_search(everything, with_facets=False).total
        found.append(Relaxation(ALL_FILTERS, everything, total))
    return found


def listings_for_hits(result: SearchResult) -> list[Listing]:
    """The hits' listings with card data, in hit order; a hit deleted meanwhile is skipped."""
    listings = listings_with_card_data(result.listing_ids)
    return [listings[pk] for pk in result.listing_ids if pk in listings]


def search_suggestions(text: str) -> dict[str, list[dict]]:
    """Completions for the search box.

    Brands and models come from the index (only those that published listings have, so a
    suggestion never leads to an empty page); categories and cities from the catalogue."""
    text = (text or "").strip()[:50]
    if not text:
        return {"brands": [], "models": [], "categories": [], "cities": []}
    if normalise_code(text):
        completions = get_backend().suggest(text, SUGGESTION_LIMIT)
    else:  # only separators typed ("-", "/"): nothing to complete
        completions = Completions()
    brands = sorted(
        Brand.objects.filter(slug__in=completions.brand_slugs), key=lambda b: (b.name, b.slug)
    )[:SUGGESTION_LIMIT]
    models = sorted(
        EquipmentModel.objects.filter(pk__in=completions.model_ids).select_related("brand"),
        key=lambda m: (m.brand.name, m.name, m.pk),
    )[:SUGGESTION_LIMIT]
    by_name = Q(name__icontains=text) | Q(name_en__icontains=text)
    categories = Category.objects.filter(by_name)[:SUGGESTION_LIMIT]
    lowered = text.lower()
    cities = [
        city for city in CITIES if text in city.name or city.name_en.lower().startswith(lowered)
    ][:SUGGESTION_LIMIT]
    return {
        "brands": [{"value": b.slug, "label": b.display_name, "text": b.name} for b in brands],
        "models": [
            {"value": str(m.pk), "label": f"{m.brand.display_name} {m.name}", "text": m.name}
            for m in models
        ],
        "categories": [
            {"value": c.slug, "label": c.display_name, "text": c.name} for c in categories
        ],
        "cities": [{"value": c.name, "label": c.name, "text": c.name} for c in cities],
    }
