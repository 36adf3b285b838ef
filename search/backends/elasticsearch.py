"""Elasticsearch 8 backend through ``elasticsearch.dsl``.

Mapping: Chinese text with the built-in ``cjk`` analyzer (overlapping bigrams), English with
``english``, brand names with ``standard`` (matched with fuzziness), model codes as keywords
with a normaliser that drops separators (PC200-8 == PC2008). No plugins.

Writes go through the alias ``<prefix>-listings``; ``rebuild`` fills a fresh
``<prefix>-listings-<timestamp>`` index, swaps the alias in one ``_aliases`` call and deletes
the old index, so searches keep answering during a rebuild.
"""

import math
from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.dsl import (
    Boolean,
    Completion,
    Date,
    Document,
    Float,
    GeoPoint,
    Integer,
    Keyword,
    Q,
    ScaledFloat,
    Search,
    Text,
    analyzer,
    char_filter,
    normalizer,
    token_filter,
)

from core.geo import haversine_km
from search import enrichers, synonyms
from search.entries import CategoryTree, build_entries, entry_listings
from search.facets import DISTANCE_BUCKETS_KM, RANGE_FIELDS, build_facets, range_key
from search.query import Sort
from search.resolve import ResolvedQuery
from search.results import Completions, Hit, RawFacets, SearchResult
from search.text import is_cjk, normalise_code

BATCH = 500
TERM_AGG_SIZE = 500

code_strip = char_filter("code_strip", "pattern_replace", pattern=r"[\s\-_/.·]+", replacement="")
code_normalizer = normalizer("code_normalizer", char_filter=[code_strip], filter=["lowercase"])
code_analyzer = analyzer(
    "code_analyzer", tokenizer="keyword", char_filter=[code_strip], filter=["lowercase"]
)


# The search side of the Chinese fields: what the built-in ``cjk`` analyzer does (bigrams),
# then the stop words and the synonyms of search/data (search.synonyms), so "挖机" finds what
# "挖掘机" finds. The rules are explicit mappings onto catalogue words, applied to the query
# only; the index keeps plain ``cjk``. A change to the files takes a rebuild (new index, alias
# swap: ``manage.py search_reindex``), which creates the index with the new settings.
_table = synonyms.load()
search_stop = token_filter("search_stop", "stop", stopwords=sorted(_table.stopwords) or ["_none_"])
search_synonyms = token_filter("search_synonyms", "synonym_graph", synonyms=list(_table.rules))
cjk_search = analyzer(
    "cjk_search",
    tokenizer="standard",
    filter=["cjk_width", "lowercase", "cjk_bigram", search_stop, search_synonyms],
)


def _cjk(**kwargs) -> Text:
    return Text(analyzer="cjk", search_analyzer=cjk_search, **kwargs)


class ListingDocument(Document):
    listing_id = Integer()
    title = _cjk(fields={"en": Text(analyzer="english")})
    description = _cjk()
    brand_names = Text(analyzer="standard", fields={"cjk": _cjk()})
    category_names = _cjk(fields={"en": Text(analyzer="english")})
    place = _cjk()
    model_codes = Keyword(normalizer=code_normalizer, fields={"text": Text(analyzer=code_analyzer)})
    search_text = _cjk()
    category_id = Integer()
    category_path = Integer()
    brand = Keyword()
    model_id = Integer()
    year = Integer()
    hours = Integer()
    price = ScaledFloat(scaling_factor=100)
    weight_t = Float()
    province = Keyword()
    city = Keyword()
    location = GeoPoint()
    condition_grade = Keyword()
    is_inspected = Boolean()
    is_certified = Boolean()
    is_remanufactured = Boolean()
    has_financing = Boolean()
    sale_format = Keyword()
    seller_type = Keyword()
    published_at = Date()
    closes_at = Date()
    value_ratio = Float()
    # Brand words and model codes, for the search box: whole inputs lower-cased and without
    # separators, so "pc2" and "PC200-8" both complete to PC200-8 and "三" to 三一. Two fields:
    # a completion suggester gives each listing once, so with one field a listing found by its
    # brand word ("x" -> XCMG) could never also offer its model (XE60DA).
    suggest = Completion(analyzer=code_analyzer)
    model_suggest = Completion(analyzer=code_analyzer)


# --- connection and index names -----------------------------------------------------------

_clients: dict[str, Elasticsearch] = {}


def client() -> Elasticsearch:
    url = settings.ELASTICSEARCH_URL
    if url not in _clients:
        _clients[url] = Elasticsearch(url, request_timeout=30)
    return _clients[url]


def alias_name() -> str:
    return f"{settings.SEARCH_INDEX_PREFIX}-listings"


def _new_index_name() -> str:
    return f"{alias_name()}-{timezone.now():%Y%m%d%H%M%S%f}"


def _create_index(name: str) -> None:
    ListingDocument.init(index=name, using=client())


def indices_behind_alias() -> list[str]:
    try:
        return sorted(client().indices.get_alias(name=alias_name()).body)
    except NotFoundError:
        return []


def ensure_index() -> None:
    """Create an index behind the alias if there is none yet (first sync on a new cluster)."""
    if not indices_behind_alias():
        name = _new_index_name()
        _create_index(name)
        client().indices.update_aliases(actions=[{"add": {"index": name, "alias": alias_name()}}])


# --- writing -------------------------------------------------------------------------------


def _source(data: dict) -> dict:
    location = None
    if data["latitude"] is not None and data["longitude"] is not None:
        location = {"lat": data["latitude"], "lon": data["longitude"]}
    brand_words = [word for word in data["brand_names"].split() if word]
    return {
        "listing_id": data["listing_id"],
        "title": data["title"],
        "description": data["description"],
        "brand_names": data["brand_names"],
        "category_names": data["category_names"],
        "place": " ".join(filter(None, [data["province"], data["city"], data.get("city_en")])),
        "model_codes": data["model_codes"],
        "search_text": data["search_text"],
        "category_id": data["category_id"],
        "category_path": data["category_path"],
        "brand": data["brand_slug"],
        "model_id": data["equipment_model_id"],
        "year": data["year"],
        "hours": data["hours"],
        "price": float(data["price"]) if data["price"] is not None else None,
        "weight_t": float(data["weight_t"]) if data["weight_t"] is not None else None,
        "province": data["province"],
        "city": data["city"],
        "location": location,
        "condition_grade": data["condition_grade"],
        "is_inspected": data["is_inspected"],
        "is_certified": data["is_certified"],
        "is_remanufactured": data["is_remanufactured"],
        "has_financing": data["has_financing"],
        "sale_format": data["sale_format"],
        "seller_type": data["seller_type"],
        "published_at": data["published_at"].isoformat() if data["published_at"] else None,
        "closes_at": data["closes_at"].isoformat() if data["closes_at"] else None,
        "value_ratio": float(data["value_ratio"]) if data["value_ratio"] is not None else None,
        "suggest": {"input": brand_words},
        "model_suggest": {"input": data["model_codes"]} if data["model_codes"] else None,
    }


def _bulk(index: str, operations: list[dict], refresh: bool | str = False) -> None:
    if not operations:
        return
    response = client().bulk(operations=operations, refresh=refresh)
    if response["errors"]:
        failures = [
            item
            for item in response["items"]
            for action, result in item.items()
            if result.get("status", 200) >= 300
            and not (action == "delete" and result.get("status") == 404)
        ]
        if failures:
            raise RuntimeError(f"Elasticsearch bulk write failed: {failures[:3]}")


def _index_operations(index: str, entries: Iterable[dict]) -> list[dict]:
    operations: list[dict] = []
    for data in entries:
        operations.append({"index": {"_index": index, "_id": str(data["listing_id"])}})
        operations.append(_source(data))
    return operations


def sync_listings(listing_ids: Iterable[int]) -> int:
    """Index the published listings among ``listing_ids``, delete the others from the index."""
    listing_ids = list(listing_ids)
    ensure_index()
    listings = list(entry_listings(listing_ids))
    entries = list(build_entries(listings, CategoryTree.load()))
    published = {data["listing_id"] for data in entries}
    operations = _index_operations(alias_name(), entries)
    for listing_id in listing_ids:
        if listing_id not in published:
            operations.append({"delete": {"_index": alias_name(), "_id": str(listing_id)}})
    _bulk(alias_name(), operations, refresh=True)
    return len(listing_ids)


def rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    tree = CategoryTree.load()
    ids = list(entry_listings().values_list("pk", flat=True))
    name = _new_index_name()
    _create_index(name)
    try:
        for start in range(0, len(ids), BATCH):
            listings = list(entry_listings(ids[start : start + BATCH]))
            _bulk(name, _index_operations(name, build_entries(listings, tree)))
            if progress:
                progress(min(start + BATCH, len(ids)), len(ids))
        client().indices.refresh(index=name)
    except Exception:
        client().indices.delete(index=name)
        raise
    old = indices_behind_alias()
    actions = [{"remove": {"index": index, "alias": alias_name()}} for index in old]
    actions.append({"add": {"index": name, "alias": alias_name()}})
    client().indices.update_aliases(actions=actions)
    for index in old:
        client().options(ignore_status=404).indices.delete(index=index)
    return len(ids)


def drop_all() -> None:
    """Delete every index of this prefix (tests and the benchmark clean up with it)."""
    for index in indices_behind_alias():
        client().options(ignore_status=404).indices.delete(index=index)


# --- reading -------------------------------------------------------------------------------


def _term_query(words: tuple[str, ...]) -> Q:
    """One query term: the term (``words[0]``) or one of the catalogue's names for it. The
    synonyms file is applied by the fields' search analyzer, not here."""
    term, *alternatives = words
    query = _word_query(term)
    if not alternatives:
        return query
    return Q("bool", should=[query, *(_word_query(word) for word in alternatives)])


def _word_query(term: str) -> Q:
    text_fields = [
        "title^3",
        "title.en",
        "brand_names^3",
        "brand_names.cjk^3",
        "category_names^2",
        "category_names.en",
        "place",
        "description",
        "search_text",
    ]
    should = [Q("multi_match", query=term, fields=text_fields, operator="and")]
    if not is_cjk(term):
        code = normalise_code(term)
        should.append(Q("match", brand_names={"query": term, "fuzziness": "AUTO"}))
        if code:
            should.append(Q("term", model_codes={"value": code, "boost": 5}))
            should.append(Q("prefix", model_codes={"value": code, "boost": 2}))
    return Q("bool", should=should, minimum_should_match=1)


def _filters(resolved: ResolvedQuery) -> list[Q]:
    query = resolved.query
    filters: list[Q] = []
    terms = {
        "category_id": resolved.category_ids,
        "listing_id": resolved.restrict_ids,
    }
    for field, values in terms.items():
        if values is not None:
            filters.append(Q("terms", **{field: list(values)}))
    exact = {
        "brand": query.brand or None,
        "model_id": query.model,
        "province": query.province or None,
        "city": query.city or None,
        "condition_grade": query.grade or None,
        "sale_format": query.sale_format or None,
        "seller_type": query.seller_type or None,
        "is_inspected": True if query.inspected else None,
        "is_certified": True if query.certified else None,
        "is_remanufactured": True if query.remanufactured else None,
        "has_financing": True if query.financing else None,
    }
    filters.extend(Q("term", **{k: v}) for k, v in exact.items() if v is not None)
    ranges = {
        "year": (query.year_min, query.year_max),
        "hours": (query.hours_min, resolved.hours_max),
        "price": (query.price_min, query.price_max),
        "weight_t": resolved.weight_range,
        "closes_at": (None, query.closing_before),
    }
    for field, (low, high) in ranges.items():
        bounds = {}
        if low is not None:
            bounds["gte"] = float(low) if field in ("price", "weight_t") else low
        if high is not None:
            bounds["lte"] = (
                high.isoformat()
                if field == "closes_at"
                else float(high)
                if field in ("price", "weight_t")
                else high
            )
        if bounds:
            filters.append(Q("range", **{field: bounds}))
    if resolved.near_city is not None:
        filters.append(_within(resolved, resolved.query.radius_km))
    return filters


def _within(resolved: ResolvedQuery, km: float) -> Q:
    city = resolved.near_city
    return Q(
        "geo_distance",
        distance=f"{km}km",
        location={"lat": city.latitude, "lon": city.longitude},
    )


def _range_query(field: str, bounds: tuple) -> Q:
    low, high = bounds
    condition = {}
    if low is not None:
        condition["gte"] = float(low) if field == "price" else low
    if high is not None:
        condition["lte"] = float(high) if field == "price" else high
    return Q("range", **{field: condition})


def _aggregations(search: Search, resolved: ResolvedQuery) -> Search:
    for name, field in (
        ("category", "category_id"),
        ("brand", "brand"),
        ("model", "model_id"),
        ("province", "province"),
        ("city", "city"),
        ("grade", "condition_grade"),
        ("sale_format", "sale_format"),
        ("seller_type", "seller_type"),
    ):
        search.aggs.bucket(name, "terms", field=field, size=TERM_AGG_SIZE)
    flags = {
        "inspected": Q("term", is_inspected=True),
        "certified": Q("term", is_certified=True),
        "remanufactured": Q("term", is_remanufactured=True),
        "financing": Q("term", has_financing=True),
    }
    search.aggs.bucket("flags", "filters", filters=flags)
    for name, buckets in RANGE_FIELDS.items():
        filters = {range_key(bounds): _range_query(name, bounds) for bounds in buckets}
        search.aggs.bucket(f"range_{name}", "filters", filters=filters)
    if resolved.near_city is not None:
        filters = {str(km): _within(resolved, km) for km in DISTANCE_BUCKETS_KM}
        search.aggs.bucket("range_distance", "filters", filters=filters)
    return search


def _sort(resolved: ResolvedQuery, notices: list[str]) -> list:
    newest = [{"published_at": {"order": "desc", "missing": "_last"}}, {"listing_id": "desc"}]
    sort = resolved.query.sort
    if sort == Sort.BEST_VALUE and not enrichers.valuations_supported():
        notices.append(_("估值数据尚未提供，已按最新发布排序。"))
        return newest
    fields = {
        Sort.PRICE_ASC: ("price", "asc"),
        Sort.PRICE_DESC: ("price", "desc"),
        Sort.YEAR_DESC: ("year", "desc"),
        Sort.HOURS_ASC: ("hours", "asc"),
        Sort.ENDING_SOONEST: ("closes_at", "asc"),
        Sort.BEST_VALUE: ("value_ratio", "asc"),
    }
    if sort == Sort.RELEVANCE and resolved.plan.terms:
        return ["_score", *newest]
    if sort in fields:
        field, order = fields[sort]
        return [{field: {"order": order, "missing": "_last"}}, *newest]
    return newest


def _raw_facets(aggregations) -> RawFacets:
    raw = RawFacets()
    data = aggregations.to_dict()
    for name in (
        "category",
        "brand",
        "model",
        "province",
        "city",
        "grade",
        "sale_format",
        "seller_type",
    ):
        raw.terms[name] = {str(b["key"]): b["doc_count"] for b in data[name]["buckets"]}
    raw.flags = {key: b["doc_count"] for key, b in data["flags"]["buckets"].items()}
    for key, value in data.items():
        if key.startswith("range_"):
            raw.ranges[key.removeprefix("range_")] = {
                bucket_key: bucket["doc_count"] for bucket_key, bucket in value["buckets"].items()
            }
    return raw


def search(resolved: ResolvedQuery, *, with_facets: bool = True) -> SearchResult:
    query = resolved.query
    notices: list[str] = []
    must = [_term_query(words) for words in resolved.plan.choices(synonyms=False)]
    es_search = Search(using=client(), index=alias_name()).query(
        Q("bool", must=must or [Q("match_all")], filter=_filters(resolved))
    )
    es_search = es_search.sort(*_sort(resolved, notices)).extra(
        from_=query.offset, size=query.page_size, track_total_hits=True
    )
    if resolved.plan.terms:
        es_search = es_search.extra(
            highlight={
                "encoder": "html",
                "pre_tags": ["<em>"],
                "post_tags": ["</em>"],
                "fields": {"title": {"number_of_fragments": 0}},
            }
        )
    if with_facets:
        es_search = _aggregations(es_search, resolved)
    try:
        response = es_search.execute()
    except NotFoundError:  # nothing indexed yet: no alias
        empty = build_facets(RawFacets(), resolved.tree) if with_facets else {}
        return SearchResult([], 0, empty, page=query.page, page_size=query.page_size)
    city = resolved.near_city
    hits = []
    for hit in response.hits:
        distance = None
        location = getattr(hit, "location", None)
        if city is not None and location is not None:
            distance = round(
                haversine_km(city.latitude, city.longitude, location["lat"], location["lon"]), 1
            )
        highlight = getattr(hit.meta, "highlight", None)
        score = hit.meta.score
        hits.append(
            Hit(
                listing_id=int(hit.listing_id),
                score=float(score) if score is not None and not math.isnan(score) else None,
                highlights={k: list(v) for k, v in highlight.to_dict().items()}
                if highlight
                else {},
                distance_km=distance,
            )
        )
    facets = build_facets(_raw_facets(response.aggregations), resolved.tree) if with_facets else {}
    return SearchResult(
        hits=hits,
        total=response.hits.total.value,
        facets=facets,
        page=query.page,
        page_size=query.page_size,
        notices=notices,
    )


def suggest(text: str, limit: int) -> Completions:
    """The completion suggesters on ``suggest`` (brand words) and ``model_suggest`` (model
    codes): each option is one listing whose brand word or model code starts with ``text``;
    its source says which brand or model that is."""
    options = {"skip_duplicates": True, "size": limit * 3}
    es_search = (
        Search(using=client(), index=alias_name())
        .suggest("brands", text, completion={"field": "suggest", **options})
        .suggest("models", text, completion={"field": "model_suggest", **options})
        .source(["brand", "model_id"])
        .extra(size=0)
    )
    try:
        response = es_search.execute()
    except NotFoundError:  # nothing indexed yet
        return Completions()
    completions = Completions()
    for option in response.suggest.brands[0].options:
        if option._source.brand not in completions.brand_slugs:
            completions.brand_slugs.append(option._source.brand)
    for option in response.suggest.models[0].options:
        model_id = int(option._source.model_id)
        if model_id not in completions.model_ids:
            completions.model_ids.append(model_id)
    return completions
