"""Moving search's models out of marketplace copies no data: back and forth keeps the rows."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from marketplace.tests.factories import PublishedListingFactory
from search.models import SavedSearch, SavedSearchMatch, SearchIndexState, SearchToken

BEFORE_MOVE = [("marketplace", "0012_hour_reading_correction"), ("search", None)]


def _migrate(targets) -> object:
    """Migrate to ``targets``; the apps of the state at the first target."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets[0]).apps


def _leaves() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_back_to_marketplace_and_forward_keeps_every_row():
    user = get_user_model().objects.create(username="saver")
    listing = PublishedListingFactory()
    saved = SavedSearch.objects.create(user=user, name="挖掘机", params={"brand": "sany"})
    SavedSearchMatch.objects.create(saved_search=saved, listing=listing)
    SearchToken.objects.create(text="挖掘")
    SearchIndexState.objects.create(pk=1, version="v1", entry_count=0)
    search_type = ContentType.objects.get_for_model(SavedSearch)

    old_apps = _migrate(BEFORE_MOVE)
    old_saved = old_apps.get_model("marketplace", "SavedSearch")
    assert list(old_saved.objects.values_list("pk", "name", "params")) == [
        (saved.pk, "挖掘机", {"brand": "sany"})
    ]
    old_match = old_apps.get_model("marketplace", "SavedSearchMatch")
    assert list(old_match.objects.values_list("saved_search_id", "listing_id")) == [
        (saved.pk, listing.pk)
    ]
    assert list(old_apps.get_model("marketplace", "SearchToken").objects.values_list("text")) == [
        ("挖掘",)
    ]
    # The content type went back to marketplace with its id (permissions point at it).
    assert ContentType.objects.get(pk=search_type.pk).app_label == "marketplace"

    _migrate(_leaves())
    assert list(SavedSearch.objects.values_list("pk", "name", "params")) == [
        (saved.pk, "挖掘机", {"brand": "sany"})
    ]
    assert list(SavedSearchMatch.objects.values_list("saved_search_id", "listing_id")) == [
        (saved.pk, listing.pk)
    ]
    assert list(SearchToken.objects.values_list("text", flat=True)) == ["挖掘"]
    assert list(SearchIndexState.objects.values_list("version", flat=True)) == ["v1"]
    assert ContentType.objects.get(pk=search_type.pk).app_label == "search"


def test_tables_keep_marketplace_names():
    from search import models

    tables = {
        model.__name__: model._meta.db_table
        for model in (
            models.ListingSearchEntry,
            models.ListingSearchDocument,
            models.SearchToken,
            models.SearchIndexState,
            models.SavedSearch,
            models.SavedSearchMatch,
        )
    }
    assert tables == {
        "ListingSearchEntry": "marketplace_listingsearchentry",
        "ListingSearchDocument": "marketplace_listingsearchdocument",
        "SearchToken": "marketplace_searchtoken",
        "SearchIndexState": "marketplace_searchindexstate",
        "SavedSearch": "marketplace_savedsearch",
        "SavedSearchMatch": "marketplace_savedsearchmatch",
    }
