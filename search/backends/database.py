"""Database backend: the ListingSearchEntry table, PostgreSQL-specific where that pays.

On PostgreSQL the entry stores its text as ``SearchToken`` ids (``integer[]``, GIN-indexed; see
``search.tokens``): each query term is "holds all of these bigram ids" or "holds one of these
prefix ids", and relevance is how many of the terms the title holds. On other databases each
term is a substring test on the normalised text (in ListingSearchDocument) and relevance falls
back to newest first. Facets are counted in one ``GROUPING SETS`` pass on PostgreSQL (one
aggregate plus a UNION of GROUP BYs elsewhere); a search without any filter reads the
whole-index counts that every index write keeps exact.
"""

import hashlib
import json
import math
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import (
    ASin,
    Cast,
    Coalesce,
    Concat,
    Cos,
    Lower,
    Power,
    Radians,
    Replace,
    Sin,
    Sqrt,
)
from django.utils.translation import gettext as _

from accounts.models import SellerType
from core.geo import EARTH_RADIUS_KM
from marketplace.models import Brand, ConditionGrade, EquipmentModel, Listing, SaleFormat
from search import enrichers
from search import tokens as vocabulary
from search.entries import CategoryTree, build_entries, entry_listings
from search.facets import DISTANCE_BUCKETS_KM, RANGE_FIELDS, build_facets, range_key
from search.models import (
    ListingSearchDocument,
    ListingSearchEntry,
    SearchIndexState,
    SearchToken,
)
from search.query import SearchQuery as ListingQuery
from search.query import Sort
from search.resolve import ResolvedQuery, brand_ids_by_slug
from search.results import Completions, Hit, RawFacets, SearchResult
from search.text import (
    CODE_SEPARATORS,
    TextPlan,
    highlight_title,
    normalise,
    normalise_code,
)

TOKEN_FIELDS = ["tokens", "title_tokens"]
ENTRY_FIELDS = [
    f.name
    for f in ListingSearchEntry._meta.concrete_fields
    if f.name not in ("listing", *TOKEN_FIELDS)
]
DOCUMENT_FIELDS = ["search_text"]
BATCH = 1000


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


# --- writing -------------------------------------------------------------------------------


def _entry(data: dict, token_ids: dict[str, int] | None) -> ListingSearchEntry:
    entry = ListingSearchEntry(listing_id=data["listing_id"])
    for name in ENTRY_FIELDS:
        attname = ListingSearchEntry._meta.get_field(name).attname
        if attname in data:
            setattr(entry, attname, data[attname])
    if token_ids is not None:
        entry.tokens = vocabulary.id_list(data["index_words"], token_ids)
        entry.title_tokens = vocabulary.id_list(data["title_words"], token_ids)
    return entry


def _document(data: dict) -> ListingSearchDocument:
    return ListingSearchDocument(
        entry_id=data["listing_id"], **{name: data[name] for name in DOCUMENT_FIELDS}
    )


def _write(rows: list[dict]) -> None:
    """Upsert the entries and documents of ``rows`` (dicts from ``build_entries``)."""
    if not rows:
        return
    token_ids = None
    if _is_postgres():
        words = (word for data in rows for word in (*data["index_words"], *data["title_words"]))
        token_ids = vocabulary.ids_for(words, SearchToken)
    update = [n for n in ENTRY_FIELDS if n != "indexed_at"]
    if token_ids is not None:
        update += TOKEN_FIELDS
    ListingSearchEntry.objects.bulk_create(
        [_entry(data, token_ids) for data in rows],
        update_conflicts=True,
        unique_fields=["listing"],
        update_fields=update,
    )
    ListingSearchDocument.objects.bulk_create(
        [_document(data) for data in rows],
        update_conflicts=True,
        unique_fields=["entry"],
        update_fields=DOCUMENT_FIELDS,
    )


def sync_listings(listing_ids: Iterable[int]) -> int:
    """Write rows for the published listings among ``listing_ids`` and drop the others."""
    listing_ids = list(listing_ids)
    tree = CategoryTree.cached()
    with transaction.atomic():
        state = _locked_state()
        affected = ListingSearchEntry.objects.filter(listing_id__in=listing_ids)
        before = _whole_index_counts(affected) if state.facets is not None else None
        listings = list(entry_listings(listing_ids))
        rows = list(build_entries(listings, tree))
        published = {data["listing_id"] for data in rows}
        affected.exclude(listing_id__in=published).delete()
        _write(rows)
        if before is None:
            facets = _whole_index_counts(ListingSearchEntry.objects.all())
        else:
            after = _whole_index_counts(affected)
            facets = _add_counts(_add_counts(state.facets, before, -1), after, 1)
        _save_state(state, facets)
    return len(listing_ids)


def rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    """Rewrite the whole table in one transaction: readers see the old rows until the commit."""
    tree = CategoryTree.load()
    ids = list(entry_listings().values_list("pk", flat=True))
    with transaction.atomic():
        state = _locked_state()
        # Plain DELETEs, text first: the documents are the entries' only dependants, and the
        # ORM's collector would load every entry to cascade.
        for queryset in (ListingSearchDocument.objects.all(), ListingSearchEntry.objects.all()):
            queryset._raw_delete(queryset.db)
        for start in range(0, len(ids), BATCH):
            listings = list(entry_listings(ids[start : start + BATCH]))
            _write(list(build_entries(listings, tree)))
            if progress:
                progress(min(start + BATCH, len(ids)), len(ids))
        _save_state(state, _whole_index_counts(ListingSearchEntry.objects.all()))
    if progress and not ids:
        progress(0, 0)
    return len(ids)


def _locked_state() -> SearchIndexState:
    """The index state row, locked: index writes (and their facet totals) go one at a time."""
    state, _created = SearchIndexState.objects.select_for_update().get_or_create(pk=1)
    return state


def _save_state(state: SearchIndexState, facets: dict) -> None:
    state.version = uuid.uuid4().hex
    state.facets = facets
    state.entry_count = facets["total"]
    state.save(update_fields=["version", "facets", "entry_count"])


def _whole_index_counts(queryset: QuerySet) -> dict:
    """Facet counts of ``queryset`` with no filter applied, as stored in SearchIndexState."""
    everything = ResolvedQuery(query=ListingQuery(), plan=TextPlan(), tree=CategoryTree.cached())
    total, raw = _raw_facets(queryset, everything)
    counts = {"terms": raw.terms, "ranges": raw.ranges, "flags": raw.flags}
    return {"total": total, **_add_counts({}, counts, 1)}  # zero counts dropped


def _add_counts(counts: dict, delta: dict, sign: int) -> dict:
    """``counts`` plus ``sign`` × ``delta``; values that reach zero are dropped."""

    def add(target: dict, changes: dict) -> dict:
        merged = dict(target)
        for key, value in changes.items():
            if isinstance(value, dict):
                merged[key] = add(merged.get(key, {}), value)
            else:
                merged[key] = merged.get(key, 0) + sign * value
                if merged[key] == 0 and key != "total":
                    del merged[key]
        return merged

    return add(counts, delta)


def _whole_index_facets() -> tuple[int, RawFacets] | None:
    facets = SearchIndexState.objects.filter(pk=1).values_list("facets", flat=True).first()
    if facets is None:
        return None
    raw = RawFacets(terms=facets["terms"], ranges=facets["ranges"], flags=facets["flags"])
    return facets["total"], raw


def index_state() -> tuple[str, int | None]:
    """(version token, number of entries) of the index, read once per search."""
    row = SearchIndexState.objects.filter(pk=1).values_list("version", "entry_count").first()
    return row or ("", None)


# --- reading -------------------------------------------------------------------------------


def _text_match(resolved: ResolvedQuery) -> vocabulary.TextMatch:
    return vocabulary.match_for(resolved.plan.terms, SearchToken)


def _token_condition(term: vocabulary.TermIds, field: str) -> Q:
    if term.all_of:
        return Q(**{f"{field}__contains": list(term.all_of)})
    return Q(**{f"{field}__overlap": list(term.any_of)})


def _rank_expression(match: vocabulary.TextMatch):
    """Relevance on PostgreSQL: (1 + query terms the title holds) / (1 + terms), in (0, 1].

    Every hit holds every term somewhere; a listing whose title names what was asked for ranks
    first, newest first among equals."""
    in_title = [
        Case(When(_token_condition(term, "title_tokens"), then=Value(1.0)), default=Value(0.0))
        for term in match.terms
    ]
    total = sum(in_title[1:], in_title[0]) if in_title else Value(0.0)
    return (Value(1.0) + total) / Value(1.0 + len(match.terms))


def _text_filter(resolved: ResolvedQuery) -> Q:
    condition = Q()
    for term in resolved.plan.terms:
        condition &= Q(document__search_text__contains=normalise(term)) | Q(
            document__search_text__contains=normalise_code(term)
        )
    return condition


def _distance_expression(latitude: float, longitude: float):
    lat0, lon0 = math.radians(latitude), math.radians(longitude)
    half_dlat = (Radians(F("latitude")) - Value(lat0)) / Value(2.0)
    half_dlon = (Radians(F("longitude")) - Value(lon0)) / Value(2.0)
    inner = Power(Sin(half_dlat), 2) + Value(math.cos(lat0)) * Cos(Radians(F("latitude"))) * Power(
        Sin(half_dlon), 2
    )
    return Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(inner))


def _filters(resolved: ResolvedQuery) -> Q:
    query = resolved.query
    conditions = {
        "category_id__in": resolved.category_ids,
        "brand_id": resolved.brand_id,
        "equipment_model_id": query.model,
        "year__gte": query.year_min,
        "year__lte": query.year_max,
        "hours__gte": query.hours_min,
        "hours__lte": resolved.hours_max,
        "price__gte": query.price_min,
        "price__lte": query.price_max,
        "weight_t__gte": resolved.weight_range[0],
        "weight_t__lte": resolved.weight_range[1],
        "province": query.province or None,
        "city": query.city or None,
        "condition_grade": query.grade or None,
        "is_inspected": True if query.inspected else None,
        "is_certified": True if query.certified else None,
        "is_remanufactured": True if query.remanufactured else None,
        "has_financing": True if query.financing else None,
        "sale_format": query.sale_format or None,
        "closes_at__lte": query.closing_before,
        "seller_type": query.seller_type or None,
        "listing_id__in": resolved.restrict_ids,
    }
    return Q(**{key: value for key, value in conditions.items() if value is not None})


def _base_queryset(resolved: ResolvedQuery) -> tuple[QuerySet, vocabulary.TextMatch | None]:
    """The matching entries, and (PostgreSQL, text queries) the terms' token ids."""
    queryset = ListingSearchEntry.objects.filter(_filters(resolved))
    match = None
    if resolved.plan.terms:
        if _is_postgres():
            match = _text_match(resolved)
            if match.impossible:
                queryset = queryset.none()
            for term in match.terms:
                queryset = queryset.filter(_token_condition(term, "tokens"))
        else:
            queryset = queryset.filter(_text_filter(resolved))
    city = resolved.near_city
    if city is not None:
        radius = resolved.query.radius_km
        dlat = radius / 111.0
        dlon = radius / (111.32 * max(math.cos(math.radians(city.latitude)), 0.01))
        queryset = queryset.filter(
            latitude__range=(city.latitude - dlat, city.latitude + dlat),
            longitude__range=(city.longitude - dlon, city.longitude + dlon),
        )
        queryset = queryset.annotate(
            distance=_distance_expression(city.latitude, city.longitude)
        ).filter(distance__lte=radius)
    return queryset, match


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


def _aggregates(resolved: ResolvedQuery) -> dict:
    aggregates = {
        "total": Count("pk"),
        "flag_inspected": Count("pk", filter=Q(is_inspected=True)),
        "flag_certified": Count("pk", filter=Q(is_certified=True)),
        "flag_remanufactured": Count("pk", filter=Q(is_remanufactured=True)),
        "flag_financing": Count("pk", filter=Q(has_financing=True)),
    }
    for name, choices in (
        ("grade", ConditionGrade),
        ("sale_format", SaleFormat),
        ("seller_type", SellerType),
    ):
        field = "condition_grade" if name == "grade" else name
        for value in choices.values:
            aggregates[f"term_{name}__{value}"] = Count("pk", filter=Q(**{field: value}))
    for name, buckets in RANGE_FIELDS.items():
        for index, (low, high) in enumerate(buckets):
            bounds = {f"{name}__gte": low, f"{name}__lte": high}
            condition = Q(**{k: v for k, v in bounds.items() if v is not None})
            aggregates[f"range_{name}__{index}"] = Count("pk", filter=condition)
    if resolved.near_city is not None:
        for km in DISTANCE_BUCKETS_KM:
            aggregates[f"range_distance__{km}"] = Count("pk", filter=Q(distance__lte=km))
    return aggregates


# --- facets on PostgreSQL: every count in one pass with GROUPING SETS ------------------------
#
# The statement around the ORM-compiled row query is a constant: column names come from the
# lists below, never from input, and every filter value stays a bound parameter of the inner
# query. One scan of the matching rows instead of one per facet is what keeps broad queries
# (tens of thousands of matches) fast.

_TERM_COLUMNS = {
    "category": "category_id",
    "brand": "brand_id",
    "model": "equipment_model_id",
    "grade": "condition_grade",
    "sale_format": "sale_format",
    "seller_type": "seller_type",
}
_FLAG_COLUMNS = {
    "inspected": "is_inspected",
    "certified": "is_certified",
    "remanufactured": "is_remanufactured",
    "financing": "has_financing",
}


def _bucket_case(conditions: list[Q]) -> Case:
    whens = [When(condition, then=Value(index)) for index, condition in enumerate(conditions)]
    return Case(*whens, default=Value(-1), output_field=IntegerField())


class WidthBucket(Func):
    """PostgreSQL's ``width_bucket(value, thresholds)``: the number of thresholds at or below
    the value, found by binary search (a CASE tests each range in turn, and comparing NUMERIC
    prices is what counting a broad search's ranges cost)."""

    function = "width_bucket"
    output_field = IntegerField()


def _range_bucket(name: str, buckets: list[tuple]) -> Func:
    """The index of the bucket holding the column's value (NULL when the value is NULL).

    Buckets are contiguous and open at both ends (facets.RANGE_FIELDS; a test holds them to
    it), so the thresholds are the lower bounds of all buckets but the first."""
    if buckets[0][0] is not None or buckets[-1][1] is not None:
        raise ValueError(f"{name} buckets must be open at both ends for width_bucket")
    field = ListingSearchEntry._meta.get_field(name)
    if isinstance(field, DecimalField):
        base = DecimalField(max_digits=field.max_digits, decimal_places=field.decimal_places)
        column = F(name)
    else:
        base = IntegerField()
        column = Cast(F(name), IntegerField())
    lows = [low for low, _high in buckets[1:]]
    thresholds = Cast(Value(lows, output_field=ArrayField(base)), ArrayField(base))
    return WidthBucket(column, thresholds)


def _bucket_annotations(resolved: ResolvedQuery) -> dict:
    annotations = {
        f"{name}_bucket": _range_bucket(name, buckets) for name, buckets in RANGE_FIELDS.items()
    }
    if resolved.near_city is not None:
        annotations["distance_bucket"] = _bucket_case(
            [Q(distance__lte=km) for km in DISTANCE_BUCKETS_KM]
        )
    return annotations


# Columns that are grouped together: few combinations each (a model has one brand and one
# category; a handful of grades × formats × seller types; 16 flag combinations; a few hundred
# bucket combinations), so six hash tables replace sixteen and Python adds the combinations up.
_COMBINED_SETS = [
    ("category_id", "brand_id", "equipment_model_id"),
    ("province", "city"),
    ("condition_grade", "sale_format", "seller_type"),
    tuple(_FLAG_COLUMNS.values()),
]
FACET_WORK_MEM = "32MB"  # room for the hash tables, so no set falls back to sort-and-group


def _raw_facets_grouping_sets(queryset: QuerySet, resolved: ResolvedQuery):
    buckets = _bucket_annotations(resolved)
    sets = [*_COMBINED_SETS, tuple(buckets)]
    columns = [column for group in sets for column in group]
    rows_query = queryset.order_by().annotate(**buckets).values(*columns)
    inner_sql, params = rows_query.query.sql_with_params()
    grouping_sets = ", ".join(f"({', '.join(group)})" for group in sets) + ", ()"
    grouping = ", ".join(f"GROUPING({column})" for column in columns)
    # Constant column names only; every value is a bound parameter of inner_sql.
    select = f"SELECT {', '.join(columns)}, {grouping}, COUNT(*) FROM ({inner_sql}) AS facet_rows"  # noqa: S608
    sql = f"{select} GROUP BY GROUPING SETS ({grouping_sets})"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', %s, true)", [FACET_WORK_MEM])
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    width = len(columns)
    raw = RawFacets()
    brand_slugs = {pk: slug for slug, pk in brand_ids_by_slug().items()}
    total = 0
    for row in rows:
        values, grouped, count = row[:width], row[width : 2 * width], row[-1]
        present = [i for i in range(width) if grouped[i] == 0]
        if not present:
            total = count
        for index in present:
            _add_count(raw, columns[index], values[index], count, brand_slugs)
    return total, raw


def _add_count(raw: RawFacets, column: str, value, count: int, brand_slugs: dict) -> None:
    if column in ("province", "city"):
        target = raw.terms.setdefault(column, {})
        target[value] = target.get(value, 0) + count
        return
    for name, flag_column in _FLAG_COLUMNS.items():
        if column == flag_column:
            if value:
                raw.flags[name] = raw.flags.get(name, 0) + count
            return
    if column.endswith("_bucket"):
        name = column.removesuffix("_bucket")
        target = raw.ranges.setdefault(name, {})
        if value is None or value < 0:
            return
        if name == "distance":
            for index, km in enumerate(DISTANCE_BUCKETS_KM):
                if value <= index:
                    target[str(km)] = target.get(str(km), 0) + count
        else:
            key = range_key(RANGE_FIELDS[name][value])
            target[key] = target.get(key, 0) + count
        return
    name = next(key for key, col in _TERM_COLUMNS.items() if col == column)
    if value is None:
        return
    if name == "brand":
        value = brand_slugs.get(value, value)
    target = raw.terms.setdefault(name, {})
    target[str(value)] = target.get(str(value), 0) + count


FACET_CACHE_SECONDS = 600  # settings.SEARCH_FACET_CACHE_SECONDS overrides; 0 turns it off


def _facet_cache_key(resolved: ResolvedQuery, version: str) -> str | None:
    """Facet counts depend on the filters and the index state, not on sort or page."""
    if resolved.restrict_ids is not None:
        return None
    params = resolved.query.with_changes(sort="relevance", page=1, page_size=20).to_params()
    digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()
    return f"search:facets:{connection.alias}:{version}:{digest}"


def _unfiltered(resolved: ResolvedQuery) -> bool:
    return not resolved.plan.terms and resolved.near_city is None and not _filters(resolved)


def _cached_raw_facets(
    queryset: QuerySet, resolved: ResolvedQuery, version: str
) -> tuple[int, RawFacets]:
    """Counting facets over many matches is the expensive part. A search without any filter
    reads the whole index's counts that every index write keeps exact. Otherwise paging
    through or re-sorting the same search reuses the counts until the index changes (the
    version is part of the key)."""
    if _unfiltered(resolved):
        whole = _whole_index_facets()
        if whole is not None:
            return whole
    seconds = getattr(settings, "SEARCH_FACET_CACHE_SECONDS", FACET_CACHE_SECONDS)
    key = _facet_cache_key(resolved, version) if seconds else None
    cached = cache.get(key) if key else None
    if cached is not None:
        return cached
    value = _raw_facets(queryset, resolved)
    if key:
        cache.set(key, value, seconds)
    return value


def _raw_facets(queryset: QuerySet, resolved: ResolvedQuery) -> tuple[int, RawFacets]:
    if queryset.query.is_empty():  # a query word nobody wrote: nothing to count
        return 0, RawFacets()
    if _is_postgres():
        return _raw_facets_grouping_sets(queryset, resolved)
    totals = queryset.aggregate(**_aggregates(resolved))
    raw = RawFacets()
    for key, count in totals.items():
        kind, _sep, rest = key.partition("_")
        if kind == "flag":
            raw.flags[rest] = count
        elif kind in ("term", "range"):
            name, _sep, value = rest.partition("__")
            if kind == "range" and name in RANGE_FIELDS:
                value = range_key(RANGE_FIELDS[name][int(value)])
            target = raw.terms if kind == "term" else raw.ranges
            target.setdefault(name, {})[value] = count
    grouped = queryset.order_by()
    branches = [
        ("category", Cast("category_id", CharField())),
        ("brand", Cast("brand_id", CharField())),
        ("model", Cast("equipment_model_id", CharField())),
        ("place", Concat("province", Value("|"), "city", output_field=CharField())),
    ]
    parts = [
        grouped.values(facet=Value(name, output_field=CharField()), key=key).annotate(n=Count("pk"))
        for name, key in branches
    ]
    slugs = {pk: slug for slug, pk in brand_ids_by_slug().items()}
    for name in ("category", "brand", "model", "province", "city"):
        raw.terms[name] = {}
    for facet, key, count in parts[0].union(*parts[1:], all=True).values_list("facet", "key", "n"):
        if facet == "place":
            province, _sep, city = key.partition("|")
            for name, value in (("province", province), ("city", city)):
                raw.terms[name][value] = raw.terms[name].get(value, 0) + count
        elif facet == "brand":
            raw.terms["brand"][slugs.get(int(key), key)] = count
        else:
            raw.terms[facet][key] = count
    return totals["total"], raw


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
            highlights=highlight_title(titles.get(row[0], ""), resolved.plan.terms),
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
