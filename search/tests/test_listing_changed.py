"""Search is fed by marketplace's one "listing changed" event, and marketplace knows nothing of
search (no import, not even inside a function)."""

import ast
from pathlib import Path

import pytest
from django.db import transaction

from marketplace.events import listing_changed, listings_changed
from marketplace.models import Listing
from marketplace.tests.factories import PublishedListingFactory
from search.models import ListingSearchEntry
from search.receivers import listings_changed_reindex

MARKETPLACE = Path(__file__).resolve().parents[2] / "marketplace"


@pytest.fixture
def received():
    calls: list[list[int]] = []

    def receiver(*, sender, listing_ids, **kwargs):
        calls.append((sender, list(listing_ids)))

    listings_changed.connect(receiver, dispatch_uid="test-received")
    yield calls
    listings_changed.disconnect(dispatch_uid="test-received")


@pytest.mark.django_db
def test_sent_once_per_change_after_the_commit(received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        listing_changed(7)
        listing_changed(9)
        assert received == []
    assert received == [(Listing, [7]), (Listing, [9])]


@pytest.mark.django_db
def test_nothing_is_sent_for_a_rolled_back_change(received, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        listing_changed(7)
        raise RuntimeError
    assert callbacks == []
    assert received == []


def test_search_is_the_documented_receiver():
    # (lookup key = (dispatch_uid, sender id), weak reference to the receiver, ...)
    by_uid = {entry[0][0]: entry[1]() for entry in listings_changed.receivers}
    assert by_uid == {"search-reindex": listings_changed_reindex}


@pytest.mark.django_db
def test_the_event_reindexes_the_listing(django_capture_on_commit_callbacks):
    listing = PublishedListingFactory()
    assert not ListingSearchEntry.objects.filter(listing=listing).exists()
    with django_capture_on_commit_callbacks(execute=True):
        listing_changed(listing.pk)
    assert list(ListingSearchEntry.objects.values_list("listing_id", flat=True)) == [listing.pk]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):  # function-level imports count too
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_marketplace_imports_nothing_from_search():
    offenders = {
        str(path.relative_to(MARKETPLACE.parent)): sorted(
            module
            for module in _imported_modules(path)
            if module == "search" or module.startswith("search.")
        )
        for path in MARKETPLACE.rglob("*.py")
    }
    assert {path: modules for path, modules in offenders.items() if modules} == {}
