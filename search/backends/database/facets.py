"""The database backend's facet counts: one GROUPING SETS pass on PostgreSQL, one aggregate
plus a UNION of GROUP BYs elsewhere, cached per query and index state, and the whole-index
counts that every index write keeps exact (read from the index state row)."""

import hashlib
import json

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
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import (
    Cast,
    Concat,
)

from accounts.models import SellerType
from marketplace.models import ConditionGrade, SaleFormat
from search.backends.database.conditions import _filters, _is_postgres
from search.facets import DISTANCE_BUCKETS_KM, RANGE_FIELDS, range_key
from search.models import (
    ListingSearchEntry,
    SearchIndexState,
)
from search.resolve import ResolvedQuery, brand_ids_by_slug
from search.results import RawFacets


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
