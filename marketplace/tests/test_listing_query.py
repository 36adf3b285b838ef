"""/api/listings/ runs on the listing query object that search uses, so a search filter the old
browse filters lacked (grade, inspected, seller type, sort) works there. (The browse page is
search's own page: search/tests.)"""

from dataclasses import fields
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import SellerType
from accounts.tests.factories import OrganizationFactory
from marketplace.listing_query import (
    INDEX_ONLY_FIELDS,
    LIVE_PARAMS,
    PAGING_FIELDS,
    ListingQuery,
    ListingQueryError,
    parse_listing_query,
    parse_listing_query_valid_part,
)
from marketplace.selectors import LIVE_LOOKUPS, LIVE_SORTS, listing_query_queryset
from marketplace.tests.factories import MachineFactory, PublishedListingFactory

pytestmark = pytest.mark.django_db
API = "/api/listings/"


@pytest.fixture
def listings():
    oem = OrganizationFactory(name="主机厂", seller_type=SellerType.OEM)
    return {
        "a_inspected": PublishedListingFactory(
            title="A",
            machine=MachineFactory(condition_grade="A", is_inspected=True),
            asking_price=Decimal("500000"),
        ),
        "a_plain": PublishedListingFactory(
            title="B",
            machine=MachineFactory(condition_grade="A", province="江西省", city="南昌市"),
            asking_price=Decimal("200000"),
        ),
        "c_oem": PublishedListingFactory(
            title="C",
            machine=MachineFactory(condition_grade="C", owner=oem),
            seller=oem,
            asking_price=Decimal("300000"),
        ),
    }


def api_titles(params) -> list[str]:
    response = APIClient().get(API, params)
    assert response.status_code == 200, response.json()
    return [row["title"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"grade": "A"}, ["A", "B"]),  # newest first
        ({"grade": "A", "inspected": "1"}, ["A"]),
        ({"province": "江西省"}, ["B"]),
        ({"seller_type": SellerType.OEM}, ["C"]),
        ({"grade": "A", "brand": "sany", "price_max": "300000"}, ["B"]),
        ({"sort": "price_asc"}, ["B", "C", "A"]),
        ({"sort": "price_desc", "grade": "A"}, ["A", "B"]),
    ],
)
def test_search_filters_work_on_the_api(listings, params, expected):
    newest_first = {"A": 0, "B": 1, "C": 2}
    if "sort" not in params:  # the factories publish in order: C is the newest
        expected = sorted(expected, key=lambda title: -newest_first[title])
    assert api_titles(params) == expected


def test_bad_search_filter_is_400_on_the_api(listings):
    response = APIClient().get(API, {"grade": "Z", "brand": "sany"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["grade"]


def test_index_only_filters_are_not_applied_live(listings):
    # Text, distance, financing and auction close need the search index: the search page's.
    params = {"q": "nothing matches this", "financing": "1", "near": "长沙市"}
    assert api_titles(params) == ["C", "B", "A"]


def test_every_query_field_is_live_or_left_to_the_index():
    names = {field.name for field in fields(ListingQuery)}
    live = set(LIVE_LOOKUPS) | {"category", "sort"}
    assert live | INDEX_ONLY_FIELDS | PAGING_FIELDS == names
    assert not live & (INDEX_ONLY_FIELDS | PAGING_FIELDS)
    assert live == LIVE_PARAMS
    assert set(LIVE_SORTS) == {"price_asc", "price_desc", "year_desc", "hours_asc"}


def test_live_queryset_is_the_query_object_on_listing_tables(listings):
    query = parse_listing_query({"grade": "A", "year_min": "2019"})
    assert list(listing_query_queryset(query)) == [listings["a_plain"], listings["a_inspected"]]
    assert list(listing_query_queryset(query.with_changes(category="no-such-category"))) == []


def test_valid_part_drops_only_the_bad_parameters():
    query, errors = parse_listing_query_valid_part(
        {"grade": "A", "year_min": "abc", "near": "火星", "radius_km": "30"}
    )
    assert query == ListingQuery(grade="A")
    assert sorted(errors) == ["near", "year_min"]
    with pytest.raises(ListingQueryError) as raised:
        parse_listing_query({"grade": "A", "year_min": "abc"})
    assert list(raised.value.fields) == ["year_min"]
