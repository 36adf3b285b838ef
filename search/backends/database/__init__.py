"""Database backend: the ListingSearchEntry table, PostgreSQL-specific where that pays.

On PostgreSQL the entry stores its text as ``SearchToken`` ids (``integer[]``, GIN-indexed; see
``search.tokens``): each query term is "holds all of these bigram ids" or "holds one of these
prefix ids", and relevance is how many of the terms the title holds. On other databases each
term is a substring test on the normalised text (in ListingSearchDocument) and relevance falls
back to newest first. Facets are counted in one ``GROUPING SETS`` pass on PostgreSQL (one
aggregate plus a UNION of GROUP BYs elsewhere); a search without any filter reads the
whole-index counts that every index write keeps exact.

This module reads a page of hits and completions; ``conditions`` builds the WHERE, ``facets``
counts, ``writing`` keeps the entries in line with the listings.
"""

from django.db.models import (
    F,
    FloatField,
    Q,
    Value,
)
from django.db.models.functions import (
    Coalesce,
    Lower,
    Replace,
)
from django.utils.translation import gettext as _

from marketplace.models import Brand, EquipmentModel, Listing
from search import enrichers
from search.backends.database.conditions import (
    _base_queryset,
    _filters,
    _is_postgres,
    _rank_expression,
)
from search.backends.database.facets import (
    FACET_CACHE_SECONDS,
    _cached_raw_facets,
    _raw_facets,
    index_state,
)
from search.backends.database.writing import (
    _add_counts,
    _whole_index_counts,
    rebuild,
    sync_listings,
)
from search.facets import build_facets
from search.models import (
    ListingSearchEntry,
)
from search.query import Sort
from search.resolve import ResolvedQuery
from search.results import Completions, Hit, SearchResult
from search.text import (
    CODE_SEPARATORS,
    highlight_title,
    normalise_code,
)

__all__ = [
    "FACET_CACHE_SECONDS",
    "ListingSearchEntry",
    "_add_counts",
    "_base_queryset",
    "_raw_facets",
    "_whole_index_counts",
    "rebuild",
    "search",
    "suggest",
    "sync_listings",
    "walk_is_short",
]


# A page is read along a sort index only if even this many times the expected walk is shorter
# than the list of matches that the other plan sorts: filters correlate with sort orders (an
# imported brand is rare among the cheapest listings), so the walk can be far longer than the
# share of matches suggests.
SORT_INDEX_MARGIN = 25


def walk_is_short(*, rows_before_page_end: int, indexed: int, total: int) -> bool:
    """Whether reading along a sort index finds the page's matches sooner than collecting and
    sorting all ``total`` matches would (``indexed`` rows in the index), with the margin."""
    if total <= 0:
        return False
    expected_walk = rows_before_page_end * indexed / total
    return expected_walk * SORT_INDEX_MARGIN <= total


def _sort_index_allowed(
    resolved: ResolvedQuery, *, filtered: bool, total: int | None, indexed: int | None
) -> bool:
    """Whether a filtered search may read its page in a sort index's order.

    Walking the index and testing each row is the fastest plan for a broad search (a word in a
    third of the listings fills a page within a hundred rows) and the slowest for a selective
    one (a search with ten matches tests every row). PostgreSQL's estimates for token and
    combined-filter matches are too rough to choose, but the exact total is known once the
    facets are counted (or read from the cache), so the choice is made here: otherwise the
    sort key is written in a form no index matches and only the matches are sorted."""
    if not filtered or not _is_postgres():
        return True
    if not total or not indexed:
        return False
    return walk_is_short(
        rows_before_page_end=resolved.query.offset + resolved.query.page_size,
        indexed=indexed,
        total=total,
    )


def _sort_key(name: str, *, indexed: bool):
    """The column, or the same value in a form no index matches: ``COALESCE(col, col)``."""
    return F(name) if indexed else Coalesce(F(name), F(name))


def _ordering(resolved: ResolvedQuery, ranked: bool, notices: list[str], *, indexed: bool) -> list:
    sort = resolved.query.sort
    # Published listings always have published_at; plain DESC matches search_entry_newest.
    newest = [_sort_key("published_at", indexed=indexed).desc(), F("listing_id").desc()]
    if sort == Sort.BEST_VALUE and not enrichers.valuations_supported():
        notices.append(_("估值数据尚未提供，已按最新发布排序。"))
        return newest
    columns = {
        Sort.PRICE_ASC: ("price", False),
        Sort.PRICE_DESC: ("price", True),
        Sort.YEAR_DESC: ("year", True),
        Sort.HOURS_ASC: ("hours", False),
        Sort.ENDING_SOONEST: ("closes_at", False),
        Sort.BEST_VALUE: ("value_ratio", False),
    }
    if sort == Sort.RELEVANCE and ranked:
        return [F("rank").desc(), F("published_at").desc(), F("listing_id").desc()]
    if sort not in columns:
        return newest
    name, descending = columns[sort]
    key = _sort_key(name, indexed=indexed)
    first = key.desc(nulls_last=True) if descending else key.asc(nulls_last=True)
    return [first, F("published_at").desc(), F("listing_id").desc()]


def _titles(listing_ids: list[int]) -> dict[int, str]:
    return dict(Listing.objects.filter(pk__in=listing_ids).values_list("pk", "title"))


def search(resolved: ResolvedQuery, *, with_facets: bool = True) -> SearchResult:
    query = resolved.query
    notices: list[str] = []
    base, match = _base_queryset(resolved)
    columns = ["listing_id", "rank"]
    ranked = match is not None and bool(match.terms)
    if ranked:
        rows_query = base.annotate(rank=_rank_expression(match))
    else:
        rows_query = base.annotate(rank=Value(None, output_field=FloatField()))
    if resolved.near_city is not None:
        columns.append("distance")
    filtered = bool(_filters(resolved)) or bool(resolved.plan.terms) or resolved.near_city
    total = None
    facets = {}
    version, entry_count = index_state()
    if with_facets:
        # Counted first: the exact total decides how the page is read (_sort_index_allowed).
        total, raw = _cached_raw_facets(base, resolved, version)
        facets = build_facets(raw, resolved.tree)
    indexed = _sort_index_allowed(
        resolved, filtered=bool(filtered), total=total, indexed=entry_count
    )
    ordering = _ordering(resolved, ranked, notices, indexed=indexed)
    ordered = rows_query.order_by(*ordering)
    rows = list(ordered.values_list(*columns)[query.offset : query.offset + query.page_size])
    if total is None:
        total = base.count()
    titles = _titles([row[0] for row in rows]) if resolved.plan.terms else {}
    hits = [
        Hit(
            listing_id=row[0],
            score=float(row[1]) if row[1] is not None else None,
            highlights=highlight_title(titles.get(row[0], ""), resolved.plan.all_words),
            distance_km=round(row[2], 1) if len(row) > 2 and row[2] is not None else None,
        )
        for row in rows
    ]
    return SearchResult(
        hits=hits,
        total=total,
        facets=facets,
        page=query.page,
        page_size=query.page_size,
        notices=notices,
    )


def _code_expression(field: str):
    """The column as ``text.normalise_code`` writes codes: lower case, no separators."""
    expression = Lower(F(field))
    for separator in CODE_SEPARATORS:
        expression = Replace(expression, Value(separator), Value(""))
    return expression


def suggest(text: str, limit: int) -> Completions:
    """Brands whose name, English name or slug and models whose code starts with ``text``,
    among those that indexed (published) listings have."""
    brands = Brand.objects.filter(
        Q(name__istartswith=text) | Q(name_en__istartswith=text) | Q(slug__istartswith=text),
        pk__in=ListingSearchEntry.objects.values("brand_id"),
    ).order_by("name")[:limit]
    code = normalise_code(text)
    models = (
        EquipmentModel.objects.filter(
            pk__in=ListingSearchEntry.objects.values("equipment_model_id")
        )
        .annotate(code=_code_expression("name"), base_code=_code_expression("base_model"))
        .filter(Q(code__startswith=code) | Q(base_code__startswith=code))
        .order_by("brand__name", "name")[:limit]
    )
    return Completions(
        brand_slugs=list(brands.values_list("slug", flat=True)),
        model_ids=list(models.values_list("pk", flat=True)),
    )
