"""Search's own tables: the database backend's per-listing row and saved searches.

They were marketplace's until search became its own app; the tables kept their names
(``db_table``), so the move (search migration 0001, marketplace 0013) copied no data.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.money import money_field
from search import catalogue  # noqa: F401  (connects cache invalidation)

__all__ = [
    "ListingSearchDocument",
    "ListingSearchEntry",
    "SavedSearch",
    "SavedSearchMatch",
    "SearchIndexState",
    "SearchToken",
]


class TokenIdsField(ArrayField):
    """``integer[]`` of SearchToken ids on PostgreSQL. Other databases keep the column (always
    NULL: they match text by substring), so the value goes in without PostgreSQL's cast."""

    def get_placeholder(self, value, compiler, connection):
        if connection.vendor != "postgresql":
            return "%s"
        return super().get_placeholder(value, compiler, connection)


class ListingSearchEntry(models.Model):
    """One row per published listing, flattened for the database backend.

    Written only by ``search.sync.sync_listings`` (after each listing change and by
    ``search_reindex``): a listing that is not published has no row, so it cannot be found.
    The row is kept narrow (numbers, short codes, dates and, on PostgreSQL, the text as
    ``SearchToken`` ids, GIN-indexed): filters, facet counts and sorts read every matching
    row, so its width is what a broad search costs. The normalised text itself lives in
    :class:`ListingSearchDocument`.
    """

    listing = models.OneToOneField(
        "marketplace.Listing", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey("marketplace.Category", on_delete=models.CASCADE, related_name="+")
    brand = models.ForeignKey("marketplace.Brand", on_delete=models.CASCADE, related_name="+")
    equipment_model = models.ForeignKey(
        "marketplace.EquipmentModel", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(null=True)
    hours = models.PositiveIntegerField(null=True)
    price = money_field(null=True)
    weight_t = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    province = models.CharField(max_length=50, blank=True)
    city = models.CharField(max_length=50, blank=True)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    condition_grade = models.CharField(max_length=1, blank=True)
    is_inspected = models.BooleanField(default=False)
    is_certified = models.BooleanField(default=False)
    is_remanufactured = models.BooleanField(default=False)
    has_financing = models.BooleanField(default=False)
    sale_format = models.CharField(max_length=10)
    seller_type = models.CharField(max_length=20, blank=True)
    published_at = models.DateTimeField(null=True)
    closes_at = models.DateTimeField(null=True)
    value_ratio = models.DecimalField(max_digits=8, decimal_places=4, null=True)
    # PostgreSQL only (NULL elsewhere): SearchToken ids of the whole searchable text, matched
    # with @> / && through a GIN index (migration 0011), and of the title alone, which
    # relevance ranks on.
    tokens = TokenIdsField(models.IntegerField(), null=True)
    title_tokens = TokenIdsField(models.IntegerField(), null=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "marketplace_listingsearchentry"  # kept from before search was its own app
        indexes = [
            models.Index(fields=["-published_at", "-listing"], name="search_entry_newest"),
            # Each sort's whole ORDER BY (value, then newest), so the first page is read in
            # index order; a one-column index left a full sort of every tie (value_ratio is
            # NULL until valuations exist) to do.
            models.Index(fields=["price", "-published_at", "-listing"], name="search_sort_price"),
            models.Index(fields=["year"], name="search_entry_year"),
            models.Index(fields=["hours", "-published_at", "-listing"], name="search_sort_hours"),
            models.Index(
                fields=["closes_at", "-published_at", "-listing"], name="search_sort_closes"
            ),
            models.Index(
                fields=["value_ratio", "-published_at", "-listing"], name="search_sort_value"
            ),
            models.Index(fields=["latitude", "longitude"], name="search_entry_geo"),
            models.Index(fields=["city"], name="search_entry_city"),
            models.Index(fields=["weight_t"], name="search_entry_weight"),
            # Facet filters with a few values each: on their own they select too much for an
            # index, together PostgreSQL intersects them (BitmapAnd) instead of reading every
            # row (e.g. auction + grade A + OEM seller: 144 of 100,000 rows, 2 ms not 40).
            models.Index(fields=["province"], name="search_entry_province"),
            models.Index(fields=["condition_grade"], name="search_entry_grade"),
            models.Index(fields=["sale_format"], name="search_entry_sale_format"),
            models.Index(fields=["seller_type"], name="search_entry_seller_type"),
            models.Index(
                fields=["is_inspected"],
                condition=Q(is_inspected=True),
                name="search_entry_inspected",
            ),
            models.Index(
                fields=["is_certified"],
                condition=Q(is_certified=True),
                name="search_entry_certified",
            ),
            models.Index(
                fields=["is_remanufactured"],
                condition=Q(is_remanufactured=True),
                name="search_entry_reman",
            ),
            models.Index(
                fields=["has_financing"],
                condition=Q(has_financing=True),
                name="search_entry_financing",
            ),
            # PostgreSQL also gets DESC NULLS LAST indexes for the price-descending and
            # year sorts (migrations 0004 and 0006; SQLite cannot build them).
        ]

    def __str__(self) -> str:
        return f"search entry {self.listing_id}"


class ListingSearchDocument(models.Model):
    """The searchable text of one search entry, in a table of its own (one row per entry).

    ``search_text`` is the normalised text: other databases match substrings of it; on
    PostgreSQL the entry's ``tokens`` are made from it.
    """

    entry = models.OneToOneField(
        ListingSearchEntry,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="document",
        db_column="listing_id",
    )
    search_text = models.TextField(blank=True)

    class Meta:
        db_table = "marketplace_listingsearchdocument"

    def __str__(self) -> str:
        return f"search document {self.entry_id}"


class SearchToken(models.Model):
    """One word of the database backend's vocabulary (see ``search.tokens``).

    A 4-byte id, so that search entries can store their text as ``integer[]``.
    """

    id = models.AutoField(primary_key=True)
    # ``unique`` also gives PostgreSQL a pattern-ops index, which prefix look-ups use.
    text = models.CharField(max_length=64, unique=True)

    class Meta:
        db_table = "marketplace_searchtoken"

    def __str__(self) -> str:
        return self.text


class SearchIndexState(models.Model):
    """One row: a random token replaced by every index write, so cached facet counts of an
    older state of the index are never served (the cache key carries the token; a random
    token, unlike a counter, cannot repeat after a rolled-back write). Index writes lock it."""

    version = models.CharField(max_length=32, blank=True)
    # Database backend: the facet counts of the whole index (what a search without any filter
    # shows), kept exact by every index write in the same transaction (old rows' counts out,
    # new rows' in) under this row's lock. NULL until the first write or rebuild fills it.
    facets = models.JSONField(null=True, blank=True)
    # The number of entries, kept with the counts (read on every filtered search, so not out
    # of the JSON document).
    entry_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        db_table = "marketplace_searchindexstate"

    def __str__(self) -> str:
        return f"search index {self.version}"


class SavedSearch(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("名称"), max_length=100)
    params = models.JSONField(_("搜索条件"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    last_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "marketplace_savedsearch"
        ordering = ["-created_at", "-id"]
        verbose_name = _("已保存的搜索")
        verbose_name_plural = _("已保存的搜索")

    def __str__(self) -> str:
        return self.name


class SavedSearchMatch(models.Model):
    """A listing a saved search was alerted about: the unique pair makes alerts at-most-once."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="matches")
    listing = models.ForeignKey("marketplace.Listing", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "marketplace_savedsearchmatch"
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "listing"], name="saved_search_match_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.saved_search_id} → {self.listing_id}"
