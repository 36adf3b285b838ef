"""The one category closure (marketplace.category_tree) and its users: the listing filter
of the browse page and /api/listings/, lease-product eligibility (leasing.quoting)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leasing.quoting import category_descendants
from marketplace.category_tree import (
    category_child_map,
    category_closure,
    category_descendant_ids,
)
from marketplace.tests.factories import CategoryFactory, MachineFactory, PublishedListingFactory


def test_closure_is_breadth_first_each_node_once():
    children = category_child_map([(1, None), (2, 1), (3, 1), (4, 2), (5, None), (6, 4)])
    assert children == {None: [1, 5], 1: [2, 3], 2: [4], 4: [6]}
    assert category_closure([1], children) == [1, 2, 3, 4, 6]
    assert category_closure([2, 5], children) == [2, 5, 4, 6]
    assert category_closure([1, 2], children) == [1, 2, 3, 4, 6]  # 2 is listed once
    assert category_closure([9], children) == [9]  # an unknown id is kept, has no children
    assert category_closure([], children) == []


def test_closure_stops_on_a_cycle_in_bad_data():
    assert category_closure([1], {1: [2], 2: [1]}) == [1, 2]


@pytest.mark.django_db
def test_descendants_read_the_tree_in_one_query():
    root = CategoryFactory(slug="t-root")
    child = CategoryFactory(slug="t-child", parent=root)
    grandchild = CategoryFactory(slug="t-grandchild", parent=child)
    other = CategoryFactory(slug="t-other")
    with CaptureQueriesContext(connection) as queries:
        ids = category_descendant_ids(root)
    assert ids == [root.pk, child.pk, grandchild.pk]
    assert len(queries.captured_queries) == 1
    assert category_descendant_ids(child.pk) == [child.pk, grandchild.pk]
    assert category_descendants([child.pk, other.pk]) == {child.pk, grandchild.pk, other.pk}


@pytest.mark.django_db
def test_listing_filter_by_a_root_finds_listings_two_levels_down(client):
    root = CategoryFactory(slug="t-root")
    grandchild = CategoryFactory(slug="t-leaf", parent=CategoryFactory(slug="t-mid", parent=root))
    deep = PublishedListingFactory(machine=MachineFactory(category=grandchild))
    PublishedListingFactory(machine=MachineFactory(category=CategoryFactory(slug="t-elsewhere")))
    response = client.get("/api/listings/", {"category": "t-root"})
    assert [row["id"] for row in response.json()["results"]] == [deep.pk]
