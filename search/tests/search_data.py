"""The shared catalogue of the search behaviour suite, and the backend fixture.

The suite itself is test_search_behaviour.py (relevance, facets, filters, sorts) and
test_search_follows_data.py (the index follows the data; saved searches).

``database`` always runs; ``elasticsearch`` runs against the server at ELASTICSEARCH_TEST_URL
(any Elasticsearch 8 API, e.g. noida-db in CI) and is skipped when that variable is unset.
"""

import datetime as dt
import os
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import OrganizationKind, SellerType
from accounts.tests.factories import OrganizationFactory
from core.geo import CITIES_BY_NAME
from marketplace.models import ListingStatus, SaleFormat
from marketplace.tests.factories import (
    BrandFactory,
    CategoryFactory,
    EquipmentModelFactory,
    ListingFactory,
    MachineFactory,
    PublishedListingFactory,
)
from search.query import parse_search_query
from search.selectors import listing_search
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
    return dict(FAKE_VALUATIONS)


def fake_financing(listing_ids):
    return set(FAKE_FINANCING) & set(listing_ids)


FAKE_VALUATIONS: dict[int, Decimal] = {}
FAKE_FINANCING: set[int] = set()


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
