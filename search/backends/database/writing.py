"""The database backend's index writes: entries and documents of published listings, and the
whole-index facet counts, kept exact under the index state row's lock."""

import uuid
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import (
    QuerySet,
)

from search import tokens as vocabulary
from search.backends.database.conditions import _is_postgres
from search.backends.database.facets import _raw_facets
from search.entries import CategoryTree, build_entries, entry_listings
from search.models import (
    ListingSearchDocument,
    ListingSearchEntry,
    SearchIndexState,
    SearchToken,
)
from search.query import SearchQuery as ListingQuery
from search.resolve import ResolvedQuery
from search.text import (
    TextPlan,
)

TOKEN_FIELDS = ["tokens", "title_tokens"]
ENTRY_FIELDS = [
    f.name
    for f in ListingSearchEntry._meta.concrete_fields
    if f.name not in ("listing", *TOKEN_FIELDS)
]
DOCUMENT_FIELDS = ["search_text"]
BATCH = 1000


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
