"""Index maintenance: the rebuild command, Elasticsearch alias swaps, the adapters."""

import io

import pytest
from django.core.management import call_command

from search import enrichers
from search.models import ListingSearchEntry
from search.query import parse_search_query
from search.selectors import listing_search
from search.sync import sync_listings
from search.tests.search_data import (
    ES_URL,
    ids_of,
)

es_only = pytest.mark.skipif(not ES_URL, reason="ELASTICSEARCH_TEST_URL is not set")


def _total(**params):
    return listing_search(parse_search_query(params)).total


def test_reindex_command_indexes_published_listings(catalogue, backend):
    assert _total() == 0
    stderr, stdout = io.StringIO(), io.StringIO()
    call_command("search_reindex", stdout=stdout, stderr=stderr)
    assert "Indexed 7 published listings" in stdout.getvalue()
    assert "7/7" in stderr.getvalue()
    assert _total() == 7


def test_sync_drops_listings_that_are_no_longer_published(indexed, backend):
    listing = indexed["listings"]["L6"]
    listing.status = "sold"
    listing.save(update_fields=["status"])
    assert listing.pk in listing_search(parse_search_query({})).listing_ids
    sync_listings([listing.pk, indexed["listings"]["withdrawn"].pk])
    assert listing.pk not in listing_search(parse_search_query({})).listing_ids
    assert _total() == 6


def test_database_rows_exist_only_for_published_listings(indexed, backend):
    if backend != "database":
        pytest.skip(reason="database backend table")
    assert set(ListingSearchEntry.objects.values_list("listing_id", flat=True)) == set(
        ids_of(indexed, "L1", "L2", "L3", "L4", "L5", "L6", "L7")
    )


@es_only
@pytest.mark.parametrize("backend", ["elasticsearch"], indirect=True)
def test_alias_swap_keeps_answering_and_removes_the_old_index(indexed, backend):
    from search.backends import elasticsearch as es

    before = es.indices_behind_alias()
    assert len(before) == 1
    seen_during_rebuild = []

    def progress(done, total):
        # The alias still points at the old, complete index while the new one fills.
        seen_during_rebuild.append((es.indices_behind_alias(), _total()))

    es.rebuild(progress)
    after = es.indices_behind_alias()
    assert seen_during_rebuild == [(before, 7)]
    assert len(after) == 1 and after != before
    assert not es.client().indices.exists(index=before[0])
    assert _total() == 7


@es_only
@pytest.mark.parametrize("backend", ["elasticsearch"], indirect=True)
def test_first_sync_creates_the_index_and_alias(catalogue, backend):
    from search.backends import elasticsearch as es

    assert es.indices_behind_alias() == []
    sync_listings([catalogue["listings"]["L1"].pk])
    assert len(es.indices_behind_alias()) == 1
    assert listing_search(parse_search_query({})).listing_ids == [catalogue["listings"]["L1"].pk]


def test_enrichers_answer_none_when_no_app_registers(settings):
    settings.SEARCH_ENRICHERS = {}
    assert enrichers.financing_available([1]) is None
    assert enrichers.latest_valuations([1]) is None
    assert enrichers.auction_end_times([1]) is None
    assert enrichers.valuations_supported() is False


def test_enrichers_call_the_registered_function(settings, monkeypatch):
    settings.SEARCH_ENRICHERS = {"has_financing": "search.tests.search_data.fake_financing"}
    from search.tests import search_data

    monkeypatch.setattr(search_data, "FAKE_FINANCING", {2, 5})
    assert enrichers.financing_available([1, 2, 3]) == {2}
    assert enrichers.latest_valuations([1]) is None


def test_a_registered_path_that_does_not_import_is_an_error(settings):
    settings.SEARCH_ENRICHERS = {"valuation": "valuation.no_such_module.latest"}
    with pytest.raises(ImportError):
        enrichers.latest_valuations([1])


def test_the_apps_register_their_enrichers():
    from django.conf import settings

    assert settings.SEARCH_ENRICHERS == {
        "has_financing": "leasing.selectors.listing_ids_with_financing",
        "valuation": "valuation.selectors.latest_listing_valuations",
        "closes_at": "trading.selectors.listing_auction_end_times",
    }
    assert enrichers.valuations_supported() is True
