"""Search behaviour: relevance, facets, filters, sorts and paging,
run against both backends (search_data.BACKENDS).

``database`` always runs; ``elasticsearch`` runs against ELASTICSEARCH_TEST_URL and is skipped
when that variable is unset.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from core.geo import CITIES_BY_NAME, haversine_km
from search.query import Sort
from search.sync import rebuild_index
from search.tests.search_data import (
    FAKE_FINANCING,
    FAKE_VALUATIONS,
    facet_counts,
    ids_of,
    run,
)

# --- relevance -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三一 挖掘机 长沙", ["L1"]),
        ("三一挖掘机长沙", ["L1"]),
        ("挖掘机", ["L1", "L2", "L3", "L4"]),
        ("装载机", ["L5", "L6"]),
        ("SY215", ["L1", "L2"]),
        ("sy215c", ["L1", "L2"]),
        ("PC200-8", ["L3"]),
        ("PC2008", ["L3"]),
        ("Komatsu", ["L3"]),
        ("Komatsoo", ["L3"]),
        ("小松", ["L3"]),
        ("三一 挖掘机 20吨 长沙", ["L1"]),
        ("三一 low hours", ["L7"]),
        ("excavators", ["L1", "L2", "L3", "L4"]),
        ("株洲", ["L3"]),
        ("原版漆", ["L1"]),
        ("不存在的设备", []),
    ],
)
def test_text_relevance(indexed, text, expected):
    result = run(q=text, sort="newest")
    assert result.listing_ids == ids_of(indexed, *expected)
    assert result.total == len(expected)


def test_relevance_sort_scores_matches(indexed, backend):
    result = run(q="三一 SY215C")
    assert sorted(result.listing_ids) == sorted(ids_of(indexed, "L1", "L2"))
    if connection.vendor == "sqlite" and backend == "database":
        # Documented fallback: no ranking function, relevance is newest first.
        assert [hit.score for hit in result.hits] == [None, None]
        assert result.listing_ids == ids_of(indexed, "L1", "L2")
    else:
        assert all(hit.score is not None and hit.score > 0 for hit in result.hits)


def test_highlight_marks_the_matched_words(indexed):
    result = run(q="挖掘机", sort="newest")
    first = result.hits[0]
    assert first.listing_id == indexed["listings"]["L1"].pk
    assert "<em>" in first.highlights["title"][0]
    assert "挖掘机" in first.highlights["title"][0].replace("<em>", "").replace("</em>", "")


def test_misspelt_brand_is_reported(indexed):
    result = run(q="Komatsoo")
    assert "komatsoo → komatsu" in result.notices


# --- facets ----------------------------------------------------------------------------------


def test_facet_counts_over_everything(indexed):
    result = run()
    assert result.total == 7
    assert [tuple(v) for v in result.facets["category"]] == [
        ("excavator", "挖掘机", 4, 0),
        ("excavator-medium", "中型挖掘机", 3, 1),
        ("excavator-mini", "小型挖掘机", 1, 1),
        ("loader", "装载机", 2, 0),
        ("crane", "起重机", 1, 0),
    ]
    assert [tuple(v) for v in result.facets["brand"]] == [
        ("sany", "三一", 3, 0),
        ("xcmg", "徐工", 2, 0),
        ("komatsu", "小松", 1, 0),
        ("liugong", "柳工", 1, 0),
    ]
    models = indexed["models"]
    assert facet_counts(result, "model") == {
        str(models["sy215"].pk): 2,
        str(models["pc200"].pk): 1,
        str(models["xe60"].pk): 1,
        str(models["lw500"].pk): 1,
        str(models["clg856"].pk): 1,
        str(models["stc250"].pk): 1,
    }
    assert facet_counts(result, "province") == {"湖南省": 7}
    assert facet_counts(result, "city") == {
        "长沙市": 3,
        "湘潭市": 1,
        "株洲市": 1,
        "衡阳市": 1,
        "岳阳市": 1,
    }
    assert facet_counts(result, "grade") == {"A": 2, "B": 2, "C": 2}
    assert facet_counts(result, "sale_format") == {"fixed": 4, "offer": 1, "auction": 2}
    assert facet_counts(result, "seller_type") == {
        "dealer": 3,
        "private": 2,
        "rental": 1,
        "oem": 1,
    }
    assert facet_counts(result, "features") == {"inspected": 3, "certified": 1, "remanufactured": 1}
    assert facet_counts(result, "year") == {"2012:2015": 2, "2016:2018": 2, "2019:2021": 3}
    assert facet_counts(result, "hours") == {
        ":1999": 1,
        "2000:4999": 2,
        "5000:9999": 2,
        "10000:": 2,
    }
    assert facet_counts(result, "price") == {
        ":99999.99": 1,
        "100000:299999.99": 3,
        "300000:599999.99": 1,
        "1000000:": 1,
    }
    assert "distance" not in result.facets


def test_facets_follow_the_filters(indexed):
    result = run(brand="sany")
    assert result.total == 3
    assert [tuple(v) for v in result.facets["category"]] == [
        ("excavator", "挖掘机", 2, 0),
        ("excavator-medium", "中型挖掘机", 2, 1),
        ("crane", "起重机", 1, 0),
    ]
    assert facet_counts(result, "city") == {"长沙市": 2, "湘潭市": 1}
    assert facet_counts(result, "features") == {"inspected": 2}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "excavator"}, ["L1", "L2", "L3", "L4"]),
        ({"category": "excavator-medium"}, ["L1", "L2", "L3"]),
        ({"brand": "xcmg"}, ["L4", "L5"]),
        ({"year_min": 2016, "year_max": 2019}, ["L1", "L2", "L5"]),
        ({"hours_min": 3000, "hours_max": 9000}, ["L1", "L2", "L5", "L7"]),
        ({"price_min": 150000, "price_max": 250000}, ["L2", "L3", "L4"]),
        ({"city": "长沙市"}, ["L1", "L5", "L7"]),
        ({"province": "湖南省", "grade": "A"}, ["L4", "L7"]),
        ({"inspected": 1}, ["L1", "L3", "L7"]),
        ({"certified": 1}, ["L3"]),
        ({"remanufactured": "true"}, ["L4"]),
        ({"sale_format": "auction"}, ["L5", "L7"]),
        ({"seller_type": "private"}, ["L2", "L6"]),
        ({"closing_before": "__3_days__"}, ["L5"]),
        ({"q": "挖掘机", "brand": "sany", "inspected": 1, "price_max": 400000}, ["L1"]),
    ],
)
def test_filters(indexed, params, expected):
    if params.get("closing_before") == "__3_days__":
        params["closing_before"] = (timezone.now() + dt.timedelta(days=3)).isoformat()
    result = run(sort="newest", **params)
    assert result.listing_ids == ids_of(indexed, *expected)
    assert result.total == len(expected)


def test_model_filter(indexed):
    result = run(model=indexed["models"]["pc200"].pk)
    assert result.listing_ids == ids_of(indexed, "L3")


def test_distance_from_a_city(indexed):
    changsha = CITIES_BY_NAME["长沙市"]
    distances = {
        name: haversine_km(changsha.latitude, changsha.longitude, c.latitude, c.longitude)
        for name, c in CITIES_BY_NAME.items()
        if name.endswith("市")
    }
    assert distances["湘潭市"] < 50 and distances["株洲市"] < 50
    assert distances["衡阳市"] > 100 and distances["岳阳市"] > 100
    result = run(near="长沙", radius_km=60, sort="newest")
    assert result.listing_ids == ids_of(indexed, "L1", "L2", "L3", "L5", "L7")
    by_id = {hit.listing_id: hit.distance_km for hit in result.hits}
    assert by_id[indexed["listings"]["L1"].pk] == 0.0
    assert by_id[indexed["listings"]["L2"].pk] == pytest.approx(distances["湘潭市"], abs=0.2)
    assert facet_counts(result, "distance") == {"25": 3, "50": 5, "100": 5, "200": 5}
    wide = run(near="Changsha", radius_km=400)
    expected_200 = sum(
        1
        for key in ("L1", "L2", "L3", "L4", "L5", "L6", "L7")
        if distances[indexed["listings"][key].machine.city] <= 200
    )
    assert facet_counts(wide, "distance")["200"] == expected_200
    assert wide.total == 7


# --- sorts and paging ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (Sort.NEWEST, ["L1", "L2", "L3", "L4", "L5", "L6", "L7"]),
        (Sort.RELEVANCE, ["L1", "L2", "L3", "L4", "L5", "L6", "L7"]),
        (Sort.PRICE_ASC, ["L6", "L4", "L3", "L2", "L1", "L7", "L5"]),
        (Sort.PRICE_DESC, ["L7", "L1", "L2", "L3", "L4", "L6", "L5"]),
        (Sort.YEAR_DESC, ["L4", "L7", "L1", "L5", "L2", "L3", "L6"]),
        (Sort.HOURS_ASC, ["L4", "L7", "L1", "L5", "L2", "L3", "L6"]),
        (Sort.ENDING_SOONEST, ["L5", "L7", "L1", "L2", "L3", "L4", "L6"]),
    ],
)
def test_sorts(indexed, sort, expected):
    assert run(sort=sort).listing_ids == ids_of(indexed, *expected)


def test_best_value_falls_back_to_newest_without_valuations(indexed, settings):
    settings.SEARCH_ENRICHERS = {
        k: v for k, v in settings.SEARCH_ENRICHERS.items() if k != "valuation"
    }
    result = run(sort=Sort.BEST_VALUE)
    assert result.listing_ids == ids_of(indexed, "L1", "L2", "L3", "L4", "L5", "L6", "L7")
    assert result.notices == ["估值数据尚未提供，已按最新发布排序。"]


def test_best_value_uses_price_against_valuation(indexed, settings):
    settings.SEARCH_ENRICHERS = {
        **settings.SEARCH_ENRICHERS,
        "valuation": "search.tests.search_data.fake_valuations",
    }
    listings = indexed["listings"]
    FAKE_VALUATIONS.clear()
    FAKE_VALUATIONS.update(
        {
            listings["L1"].pk: Decimal(400000),  # 0.95
            listings["L2"].pk: Decimal(200000),  # 1.25
            listings["L3"].pk: Decimal(300000),  # 0.73
        }
    )
    rebuild_index()
    result = run(sort=Sort.BEST_VALUE)
    assert result.listing_ids == ids_of(indexed, "L3", "L1", "L2", "L4", "L5", "L6", "L7")
    assert result.notices == []


def test_financing_filter_uses_the_registered_enricher(indexed, settings):
    settings.SEARCH_ENRICHERS = {
        **settings.SEARCH_ENRICHERS,
        "has_financing": "search.tests.search_data.fake_financing",
    }
    FAKE_FINANCING.clear()
    FAKE_FINANCING.add(indexed["listings"]["L4"].pk)
    rebuild_index()
    assert run(financing=1).listing_ids == ids_of(indexed, "L4")
    assert facet_counts(run(), "features")["financing"] == 1


def test_pagination(indexed):
    pages = [run(sort="newest", page_size=3, page=page) for page in (1, 2, 3, 4)]
    assert [p.listing_ids for p in pages] == [
        ids_of(indexed, "L1", "L2", "L3"),
        ids_of(indexed, "L4", "L5", "L6"),
        ids_of(indexed, "L7"),
        [],
    ]
    assert {p.total for p in pages} == {7}
    assert pages[0].num_pages == 3 and pages[0].has_next and not pages[0].has_previous
    assert pages[2].has_previous and not pages[2].has_next
