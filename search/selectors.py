"""Reads: run a search, load the listings for its hits, suggest completions."""

from django.db.models import Q

from core.geo import CITIES
from marketplace.models import Brand, Category, EquipmentModel, Listing
from marketplace.selectors import listings_with_card_data
from search.backends import get_backend
from search.query import SearchQuery
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
