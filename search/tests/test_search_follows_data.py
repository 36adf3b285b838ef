"""The index follows the data, and saved searches alert,
run against both backends (search_data.BACKENDS).

``database`` always runs; ``elasticsearch`` runs against ELASTICSEARCH_TEST_URL and is skipped
when that variable is unset.
"""

from decimal import Decimal

import pytest
from django.core import mail

from core.geo import CITIES_BY_NAME, haversine_km
from marketplace.models import ListingStatus
from marketplace.services import listing_withdraw
from marketplace.tests.factories import (
    ListingFactory,
    MachineFactory,
)
from notifications.models import Notification
from search.query import SearchQuery, parse_search_query
from search.services import saved_search_create
from search.tests.search_data import (
    facet_counts,
    ids_of,
    run,
)

# --- index follows the data ------------------------------------------------------------------


def test_withdrawn_listing_disappears_after_the_task(indexed, django_capture_on_commit_callbacks):
    listing = indexed["listings"]["L1"]
    seller_user = _member(listing.seller)
    assert listing.pk in run(q="三一").listing_ids
    with django_capture_on_commit_callbacks(execute=True):
        listing_withdraw(listing=listing, actor=seller_user, reason="sold elsewhere")
    result = run(q="三一", sort="newest")
    assert result.listing_ids == ids_of(indexed, "L2", "L7")
    assert facet_counts(run(), "brand")["sany"] == 2


def test_published_listing_appears_after_the_task(
    indexed, staff, django_capture_on_commit_callbacks
):
    from marketplace.services import listing_publish

    draft = indexed["listings"]["draft"]
    draft.status = ListingStatus.SUBMITTED
    draft.save(update_fields=["status"])
    assert draft.pk not in run(q="草稿").listing_ids
    with django_capture_on_commit_callbacks(execute=True):
        listing_publish(listing=draft, actor=staff)
    assert run(q="草稿").listing_ids == [draft.pk]


def test_whole_index_facet_counts_stay_exact_through_index_writes(
    indexed, backend, settings, staff, django_capture_on_commit_callbacks
):
    """Database backend: a search without filters shows the stored whole-index counts, which
    every index write adjusts; after withdrawing, publishing and re-pricing they still equal
    the counts taken afresh from the rows."""
    if backend != "database":
        pytest.skip("the stored whole-index counts belong to the database backend")
    from marketplace.services import listing_publish
    from search.backends import database
    from search.models import SearchIndexState
    from search.resolve import resolve

    settings.SEARCH_FACET_CACHE_SECONDS = 0
    listings = indexed["listings"]
    with django_capture_on_commit_callbacks(execute=True):
        listing_withdraw(
            listing=listings["L1"], actor=_member(listings["L1"].seller), reason="sold elsewhere"
        )
    draft = listings["draft"]
    draft.status = ListingStatus.SUBMITTED
    draft.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        listing_publish(listing=draft, actor=staff)
    listings["L5"].asking_price = Decimal("1500000")
    listings["L5"].save(update_fields=["asking_price"])
    database.sync_listings([listings["L5"].pk])

    state = SearchIndexState.objects.get(pk=1)
    stored = state.facets
    fresh = database._whole_index_counts(database.ListingSearchEntry.objects.all())
    assert stored == fresh
    assert stored["total"] == 7
    assert state.entry_count == 7
    assert stored["terms"]["brand"] == {"sany": 3, "xcmg": 2, "komatsu": 1, "liugong": 1}
    assert stored["ranges"]["price"]["1000000:"] == 2
    result = run()
    assert result.total == 7
    assert facet_counts(result, "brand") == {"sany": 3, "xcmg": 2, "komatsu": 1, "liugong": 1}
    # The live count of the same (unfiltered) search agrees with what the search showed.
    base, _text = database._base_queryset(resolve(parse_search_query({})))
    total, raw = database._raw_facets(base, resolve(parse_search_query({})))
    live = database._add_counts(
        {}, {"terms": raw.terms, "ranges": raw.ranges, "flags": raw.flags}, 1
    )
    assert {"total": total, **live} == stored


def _member(organization):
    from accounts.models import Role
    from accounts.tests.factories import member_of

    return member_of(organization, Role.OWNER)


# --- saved searches --------------------------------------------------------------------------


def test_saved_search_alert_once_per_listing(
    indexed, buyer, staff, django_capture_on_commit_callbacks
):
    from marketplace.services import listing_publish
    from search.services import saved_searches_check

    saved = saved_search_create(
        user=buyer, name="长沙三一挖掘机", params={"q": "挖掘机", "brand": "sany"}
    )
    assert saved.params == {"q": "挖掘机", "brand": "sany"}
    matching, other = indexed["listings"]["draft"], _submitted_loader(indexed)
    for listing in (matching, other):
        listing.status = ListingStatus.SUBMITTED
        listing.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        listing_publish(listing=matching, actor=staff)
        listing_publish(listing=other, actor=staff)
    notifications = Notification.objects.filter(recipient=buyer, kind="saved_search")
    assert [n.url for n in notifications] == [f"/listings/{matching.pk}/"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [buyer.email]
    assert "长沙三一挖掘机" in mail.outbox[0].subject
    # Re-indexing the same listing again never alerts twice; older listings never alert.
    with django_capture_on_commit_callbacks(execute=True):
        assert saved_searches_check(listing_ids=[matching.pk, indexed["listings"]["L1"].pk]) == 0
    assert notifications.count() == 1
    assert len(mail.outbox) == 1


def test_saved_searches_that_cannot_match_are_not_run(
    indexed, buyer, staff, monkeypatch, django_capture_on_commit_callbacks
):
    """Only saved searches whose exact-valued parameters (brand, category, city...) fit the
    new listing are run as searches; the others are skipped without a query."""
    from marketplace.services import listing_publish
    from search import selectors
    from search.models import SavedSearchMatch
    from search.services import saved_searches_check

    fits = [
        saved_search_create(user=buyer, name="三一", params={"brand": "sany"}),
        saved_search_create(user=buyer, name="挖掘机", params={"category": "excavator"}),
        saved_search_create(user=buyer, name="附近", params={"near": "长沙市", "radius_km": "50"}),
    ]
    saved_search_create(user=buyer, name="徐工", params={"brand": "xcmg"})
    saved_search_create(user=buyer, name="装载机", params={"category": "loader"})
    saved_search_create(user=buyer, name="拍卖", params={"brand": "sany", "sale_format": "auction"})
    run_for = []
    real_search = selectors.listing_search

    def spy(query, **kwargs):
        run_for.append(query.to_params())
        return real_search(query, **kwargs)

    monkeypatch.setattr(selectors, "listing_search", spy)
    draft = indexed["listings"]["draft"]  # a SANY SY215C (medium excavator), fixed price
    draft.status = ListingStatus.SUBMITTED
    draft.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        listing_publish(listing=draft, actor=staff)
    assert len(run_for) == len(fits)
    # "附近" was run; whether it matches is the distance search's decision.
    machine = draft.machine
    changsha = CITIES_BY_NAME["长沙市"]
    near = haversine_km(
        changsha.latitude, changsha.longitude, float(machine.latitude), float(machine.longitude)
    )
    expected = {"三一", "挖掘机"} | ({"附近"} if near <= 50 else set())
    matched = SavedSearchMatch.objects.filter(listing=draft)
    assert set(matched.values_list("saved_search__name", flat=True)) == expected
    assert Notification.objects.filter(recipient=buyer, kind="saved_search").count() == len(
        expected
    )
    assert saved_searches_check(listing_ids=[draft.pk]) == 0  # once per listing


def _submitted_loader(indexed):
    machine = MachineFactory(
        equipment_model=indexed["models"]["lw500"], owner=indexed["sellers"]["dealer"]
    )
    return ListingFactory(machine=machine, title="徐工装载机 新上架", seller=machine.owner)


def test_query_object_round_trips_through_params():
    query = parse_search_query(
        {"q": "三一", "brand": "sany", "inspected": "1", "radius_km": "30", "near": "长沙"}
    )
    assert query == SearchQuery(
        text="三一", brand="sany", inspected=True, radius_km=30, near="长沙"
    )
    assert parse_search_query(query.to_params()) == query
