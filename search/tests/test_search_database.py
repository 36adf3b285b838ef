"""Database backend specifics: the token vocabulary (PostgreSQL), range buckets at their
bounds, and the choice between reading a page along a sort index and sorting the matches."""

from decimal import Decimal

import pytest
from django.db import connection

from marketplace.models import SaleFormat
from marketplace.tests.factories import MachineFactory, PublishedListingFactory
from search.backends import database
from search.models import ListingSearchDocument, ListingSearchEntry, SearchToken
from search.query import Sort
from search.sync import rebuild_index
from search.tests.search_data import (
    facet_counts,
    ids_of,
    run,
)
from search.text import index_tokens

database_only = pytest.mark.parametrize("backend", ["database"], indirect=True)
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="token ids are the PostgreSQL text index"
)


def test_index_words_are_bigrams_run_ends_and_codes():
    assert index_tokens("三一挖掘机 PC200-8 车") == [
        "三一",
        "一挖",
        "挖掘",
        "掘机",
        "机",
        "pc200",
        "8",
        "pc2008",
        "车",
    ]


@database_only
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("掘", ["L1", "L2", "L3", "L4"]),  # inside 挖掘机: first character of a bigram
        # the last character of 挖掘机, 装载机 and 起重机
        ("机", ["L1", "L2", "L3", "L4", "L5", "L6", "L7"]),
        ("挖掘机 松", ["L3"]),
    ],
)
def test_single_chinese_characters_match_anywhere_in_a_word(indexed, backend, text, expected):
    result = run(q=text, sort="newest")
    assert result.listing_ids == ids_of(indexed, *expected)
    assert result.total == len(expected)


@postgres_only
@database_only
def test_entries_store_the_ids_of_their_words_and_title_words(indexed, backend):
    listing = indexed["listings"]["L1"]
    entry = ListingSearchEntry.objects.get(listing=listing)
    document = ListingSearchDocument.objects.get(entry=entry)
    words = dict(SearchToken.objects.values_list("pk", "text"))
    assert [words[pk] for pk in entry.tokens] == list(
        dict.fromkeys(index_tokens(document.search_text))
    )
    assert [words[pk] for pk in entry.title_tokens] == list(
        dict.fromkeys(index_tokens(listing.title))
    )


@postgres_only
@database_only
def test_a_query_word_nobody_wrote_matches_nothing_and_adds_no_token(indexed, backend):
    before = SearchToken.objects.count()
    result = run(q="三一 从未出现")
    assert result.listing_ids == []
    assert result.total == 0
    assert facet_counts(result, "brand") == {}
    assert SearchToken.objects.count() == before


@postgres_only
@database_only
def test_relevance_ranks_titles_that_name_every_term_first(indexed, backend):
    # Every listing of the SY215 model holds "三一" and "sy215" in its text; only titles count.
    # L1 "三一SY215C挖掘机 车况好 原版漆", L2 "三一 SY215C-9 挖掘机 二手" name both terms;
    # L7 "三一STC250汽车起重机 25吨" names only 三一 and does not match "sy215" at all.
    result = run(q="三一 挖掘机 车况好", sort=Sort.RELEVANCE)
    assert result.listing_ids == ids_of(indexed, "L1")
    assert [hit.score for hit in result.hits] == [1.0]
    result = run(q="三一 车况好", sort=Sort.RELEVANCE)
    assert result.listing_ids == ids_of(indexed, "L1")
    result = run(q="挖掘机", sort=Sort.RELEVANCE)
    # Titles of L1-L2 say 挖掘机, L3 (中挖) and L4 (小挖) only in their category names.
    assert result.listing_ids == ids_of(indexed, "L1", "L2", "L3", "L4")
    assert [hit.score for hit in result.hits] == [1.0, 1.0, 0.5, 0.5]


@database_only
def test_range_buckets_hold_their_bounds(db, backend):
    """Each value at a bucket's bound is counted in that bucket and found by that filter."""
    rows = [
        (2011, 1999, Decimal("99999.99")),
        (2012, 2000, Decimal("100000.00")),
        (2015, 4999, Decimal("299999.99")),
        (2016, 5000, Decimal("300000.00")),
        (2022, 10000, Decimal("1000000.00")),
        (2021, 9999, None),
    ]
    for year, hours, price in rows:
        PublishedListingFactory(
            machine=MachineFactory(year_of_manufacture=year, current_hours=hours),
            asking_price=price,
            sale_format=SaleFormat.FIXED if price is not None else SaleFormat.AUCTION,
        )
    rebuild_index()
    for result in (run(), run(hours_min=0)):  # whole-index counts, and counted for a filter
        assert facet_counts(result, "year") == {
            ":2011": 1,
            "2012:2015": 2,
            "2016:2018": 1,
            "2019:2021": 1,
            "2022:": 1,
        }
        assert facet_counts(result, "hours") == {
            ":1999": 1,
            "2000:4999": 2,
            "5000:9999": 2,
            "10000:": 1,
        }
        assert facet_counts(result, "price") == {
            ":99999.99": 1,
            "100000:299999.99": 2,
            "300000:599999.99": 1,
            "1000000:": 1,
        }
    assert run(price_max="99999.99").total == 1
    assert run(price_min="100000", price_max="299999.99").total == 2
    assert run(year_min=2012, year_max=2015).total == 2
    assert run(hours_min=5000, hours_max=9999).total == 2


def test_a_sort_index_is_walked_only_when_matches_are_common():
    # 100,000 listings, a page of 20: a word in 37,000 of them fills the page within about 54
    # rows; one in 5,000 would need about 400, and a brand can be rare among the cheapest.
    assert database.walk_is_short(rows_before_page_end=20, indexed=100_000, total=37_000)
    assert not database.walk_is_short(rows_before_page_end=20, indexed=100_000, total=5_000)
    assert not database.walk_is_short(rows_before_page_end=20, indexed=100_000, total=0)
    # Page 50 of a common word is deep: sorting the matches is cheaper.
    assert not database.walk_is_short(rows_before_page_end=1000, indexed=100_000, total=37_000)


@postgres_only
@database_only
@pytest.mark.parametrize("sort", [s for s in Sort.ALL if s != Sort.RELEVANCE])
def test_both_ways_of_reading_a_page_give_the_same_page(indexed, backend, monkeypatch, sort):
    pages = {}
    for walk in (True, False):
        monkeypatch.setattr(database, "walk_is_short", lambda walk=walk, **_kwargs: walk)
        pages[walk] = [
            run(q=text, sort=sort, page_size=2, page=page).listing_ids
            for text in ("挖掘机", "三一", "装载机")
            for page in (1, 2)
        ]
    assert pages[True] == pages[False]
    assert any(pages[True])
