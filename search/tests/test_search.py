"""The search behaviour suite, run against both backends.

``database`` always runs; ``elasticsearch`` runs against the server at ELASTICSEARCH_TEST_URL
(any Elasticsearch 8 API, e.g. noida-db in CI) and is skipped when that variable is unset.
"""

import datetime as dt
import os
import uuid
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.models import OrganizationKind, SellerType
from accounts.tests.factories import OrganizationFactory
from core.geo import CITIES_BY_NAME, haversine_km
from marketplace.models import ListingStatus, SaleFormat
from marketplace.services import listing_withdraw
from marketplace.tests.factories import (
    BrandFactory,
    CategoryFactory,
    EquipmentModelFactory,
    ListingFactory,
    MachineFactory,
    PublishedListingFactory,
)
from notifications.models import Notification
from search.query import SearchQuery, Sort, parse_search_query
from search.selectors import listing_search
from search.services import saved_search_create
from search.sync import rebuild_index

ES_URL = os.environ.get("ELASTICSEARCH_TEST_URL", "")
SESSION_PREFIX = f"test-{uuid.uuid4().hex[:10]}"
BACKENDS = [
    "database",
    pytest.param(
        "elasticsearch",
        marks=pytest.mark.skipif(not ES_URL, reason="ELASTICSEARCH_TEST_URL is not set"),
    ),
]


@pytest.fixture(params=BACKENDS)
def backend(request, settings):
    settings.SEARCH_BACKEND = request.param
    if request.param == "elasticsearch":
        settings.ELASTICSEARCH_URL = ES_URL
        settings.SEARCH_INDEX_PREFIX = f"{SESSION_PREFIX}-{uuid.uuid4().hex[:6]}"
        yield request.param
        from search.backends.elasticsearch import drop_all

        drop_all()
    else:
        yield request.param


def fake_valuations(listing_ids):
    return dict(_FAKE_VALUATIONS)


def fake_financing(listing_ids):
    return set(_FAKE_FINANCING) & set(listing_ids)


_FAKE_VALUATIONS: dict[int, Decimal] = {}
_FAKE_FINANCING: set[int] = set()


def _place(city_name):
    city = CITIES_BY_NAME[city_name]
    return {
        "city": city.name,
        "province": city.province,
        "latitude": Decimal(f"{city.latitude:.6f}"),
        "longitude": Decimal(f"{city.longitude:.6f}"),
    }


@pytest.fixture
def catalogue(db):
    excavator = CategoryFactory(slug="excavator", name="挖掘机", name_en="Excavators")
    medium = CategoryFactory(
        slug="excavator-medium", name="中型挖掘机", name_en="Medium excavators", parent=excavator
    )
    mini = CategoryFactory(
        slug="excavator-mini", name="小型挖掘机", name_en="Mini excavators", parent=excavator
    )
    loader = CategoryFactory(slug="loader", name="装载机", name_en="Wheel loaders")
    crane = CategoryFactory(slug="crane", name="起重机", name_en="Cranes")
    sany = BrandFactory(slug="sany", name="三一", name_en="SANY")
    xcmg = BrandFactory(slug="xcmg", name="徐工", name_en="XCMG")
    komatsu = BrandFactory(slug="komatsu", name="小松", name_en="Komatsu", is_domestic=False)
    liugong = BrandFactory(slug="liugong", name="柳工", name_en="LiuGong")
    models = {
        "sy215": EquipmentModelFactory(
            brand=sany, category=medium, name="SY215C", base_model="SY215"
        ),
        "pc200": EquipmentModelFactory(
            brand=komatsu,
            category=medium,
            name="PC200-8",
            base_model="PC200",
            operating_weight_t=Decimal("19.90"),
        ),
        "xe60": EquipmentModelFactory(
            brand=xcmg, category=mini, name="XE60DA", base_model="XE60", operating_weight_t=6
        ),
        "lw500": EquipmentModelFactory(
            brand=xcmg, category=loader, name="LW500FN", base_model="LW500", operating_weight_t=17
        ),
        "clg856": EquipmentModelFactory(
            brand=liugong,
            category=loader,
            name="CLG856H",
            base_model="CLG856",
            operating_weight_t=Decimal("17.5"),
        ),
        "stc250": EquipmentModelFactory(
            brand=sany, category=crane, name="STC250", base_model="STC250", operating_weight_t=32
        ),
    }
    sellers = {
        kind: OrganizationFactory(kind=OrganizationKind.DEALER, seller_type=kind)
        for kind in SellerType.values
    }
    now = timezone.now()

    def make(key, model, city, year, hours, price, title, *, days_ago, seller, **extra):
        flags = {
            k: extra.pop(k)
            for k in ("condition_grade", "is_inspected", "is_certified", "is_remanufactured")
            if k in extra
        }
        machine = MachineFactory(
            equipment_model=models[model],
            owner=sellers[seller],
            year_of_manufacture=year,
            current_hours=hours,
            **_place(city),
            **flags,
        )
        return PublishedListingFactory(
            machine=machine,
            title=title,
            asking_price=price,
            published_at=now - dt.timedelta(days=days_ago),
            **extra,
        )

    listings = {
        "L1": make(
            "L1",
            "sy215",
            "长沙市",
            2019,
            4200,
            Decimal(380000),
            "三一SY215C挖掘机 车况好 原版漆",
            days_ago=1,
            seller="dealer",
            condition_grade="B",
            is_inspected=True,
        ),
        "L2": make(
            "L2",
            "sy215",
            "湘潭市",
            2016,
            9000,
            Decimal(250000),
            "三一 SY215C-9 挖掘机 二手",
            days_ago=2,
            seller="private",
            condition_grade="C",
            sale_format=SaleFormat.OFFER,
        ),
        "L3": make(
            "L3",
            "pc200",
            "株洲市",
            2014,
            12000,
            Decimal(220000),
            "小松PC200-8 中挖 原装进口",
            days_ago=3,
            seller="rental",
            condition_grade="B",
            is_inspected=True,
            is_certified=True,
        ),
        "L4": make(
            "L4",
            "xe60",
            "衡阳市",
            2021,
            1500,
            Decimal(150000),
            "徐工XE60DA小挖 再制造",
            days_ago=4,
            seller="dealer",
            condition_grade="A",
            is_remanufactured=True,
        ),
        "L5": make(
            "L5",
            "lw500",
            "长沙市",
            2018,
            6000,
            None,
            "徐工LW500FN装载机 拍卖",
            days_ago=5,
            seller="oem",
            condition_grade="C",
            sale_format=SaleFormat.AUCTION,
            expires_at=now + dt.timedelta(days=2),
        ),
        "L6": make(
            "L6",
            "clg856",
            "岳阳市",
            2012,
            15000,
            Decimal(90000),
            "柳工CLG856H装载机",
            days_ago=6,
            seller="private",
        ),
        "L7": make(
            "L7",
            "stc250",
            "长沙市",
            2020,
            3000,
            Decimal(1200000),
            "三一STC250汽车起重机 25吨",
            days_ago=7,
            seller="dealer",
            condition_grade="A",
            is_inspected=True,
            sale_format=SaleFormat.AUCTION,
            expires_at=now + dt.timedelta(days=5),
        ),
    }
    # Never found: not published.
    listings["withdrawn"] = ListingFactory(
        machine=MachineFactory(equipment_model=models["sy215"], owner=sellers["dealer"]),
        title="三一SY215C挖掘机 长沙 已下架",
        status=ListingStatus.WITHDRAWN,
    )
    listings["draft"] = ListingFactory(
        machine=MachineFactory(equipment_model=models["sy215"], owner=sellers["dealer"]),
        title="三一SY215C挖掘机 长沙 草稿",
    )
    return {"listings": listings, "models": models, "sellers": sellers}


@pytest.fixture
def indexed(catalogue, backend):
    rebuild_index()
    return catalogue


def ids_of(catalogue, *keys):
    return [catalogue["listings"][key].pk for key in keys]


def run(**params):
    return listing_search(parse_search_query({k: str(v) for k, v in params.items()}))


def facet_counts(result, name):
    return {value.value: value.count for value in result.facets[name]}


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
        "valuation": f"{__name__}.fake_valuations",
    }
    listings = indexed["listings"]
    _FAKE_VALUATIONS.clear()
    _FAKE_VALUATIONS.update(
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
        "has_financing": f"{__name__}.fake_financing",
    }
    _FAKE_FINANCING.clear()
    _FAKE_FINANCING.add(indexed["listings"]["L4"].pk)
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
