"""The public browse page and listing detail page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.models import HourMeterReading, MaintenanceRecord
from marketplace.tests.factories import (
    BrandFactory,
    CategoryFactory,
    EquipmentModelFactory,
    ListingFactory,
    MachineFactory,
    PublishedListingFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("marketplace:listing_list")


@pytest.fixture
def catalogue(excavators, sy215):
    loaders = CategoryFactory(slug="wheel-loader", name="装载机", name_en="Wheel loaders")
    xcmg = BrandFactory(slug="xcmg", name="徐工", name_en="XCMG")
    lw500 = EquipmentModelFactory(brand=xcmg, category=loaders, name="LW500FN")
    listings = {
        "sany_medium": PublishedListingFactory(
            machine=MachineFactory(
                equipment_model=sy215, year_of_manufacture=2018, current_hours=6000
            ),
            asking_price=Decimal("300000"),
            title="A",
        ),
        "sany_medium_new": PublishedListingFactory(
            machine=MachineFactory(
                equipment_model=sy215,
                year_of_manufacture=2022,
                current_hours=1500,
                city="湘潭市",
            ),
            asking_price=Decimal("620000"),
            sale_format="offer",
            title="B",
        ),
        "xcmg_loader": PublishedListingFactory(
            machine=MachineFactory(
                equipment_model=lw500, year_of_manufacture=2016, current_hours=9000
            ),
            asking_price=Decimal("150000"),
            title="C",
        ),
    }
    ListingFactory(machine=MachineFactory(equipment_model=sy215), title="草稿不可见")
    return listings


def titles(response):
    return sorted(listing.title for listing in response.context["listings"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["A", "B", "C"]),
        ({"category": "excavator"}, ["A", "B"]),  # root includes descendants
        ({"category": "excavator-medium"}, ["A", "B"]),
        ({"category": "wheel-loader"}, ["C"]),
        ({"brand": "xcmg"}, ["C"]),
        ({"city": "湘潭市"}, ["B"]),
        ({"year_min": "2017", "year_max": "2020"}, ["A"]),
        ({"hours_min": "5000"}, ["A", "C"]),
        ({"hours_max": "6000"}, ["A", "B"]),
        ({"price_min": "200000", "price_max": "400000"}, ["A"]),
        ({"sale_format": "offer"}, ["B"]),
        ({"brand": "sany", "hours_max": "2000"}, ["B"]),
    ],
)
def test_filters(client, catalogue, params, expected):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert titles(response) == expected


def test_invalid_filter_is_reported_and_ignored(client, catalogue):
    response = client.get(URL, {"year_min": "abc", "brand": "xcmg"})
    assert response.status_code == 200
    assert titles(response) == ["C"]
    assert "year_min" in response.context["form"].errors
    assert "输入整数。" in response.content.decode()


def test_filter_form_offers_tree_brands_and_cities(client, catalogue):
    html = client.get(URL).content.decode()
    assert '<option value="excavator-medium">\u2003中型挖掘机</option>' in html
    assert '<option value="xcmg">徐工</option>' in html
    assert '<option value="长沙市">长沙市</option>' in html


def test_browse_query_count_is_constant(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for _ in range(10):
        PublishedListingFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)


def test_pagination_keeps_filters(client, excavators, sy215):
    for _ in range(26):
        PublishedListingFactory(machine=MachineFactory(equipment_model=sy215))
    response = client.get(URL, {"brand": "sany"})
    assert response.context["page"].paginator.num_pages == 2
    assert "?brand=sany&amp;page=2" in response.content.decode()
    assert len(client.get(URL, {"brand": "sany", "page": 2}).context["listings"]) == 2


def test_detail_shows_specs_hours_maintenance_and_seller(client, dealer_org, sy215):
    machine = MachineFactory(owner=dealer_org, equipment_model=sy215, serial_number="SN-DETAIL")
    HourMeterReading.objects.create(
        machine=machine, hours=3000, source="service", read_at=timezone.now() - dt.timedelta(90)
    )
    HourMeterReading.objects.create(machine=machine, hours=4200, source="seller")
    MaintenanceRecord.objects.create(
        machine=machine,
        performed_on=dt.date(2025, 3, 1),
        kind="routine",
        description="更换机油和三滤",
        hours=3000,
    )
    listing = PublishedListingFactory(machine=machine)
    response = client.get(reverse("marketplace:listing_detail", args=[listing.pk]))
    html = response.content.decode()
    for text in ["SN-DETAIL", "21.50 t", "114.0 kW", "1.10 m³", "更换机油和三滤", "长沙测试经销商"]:
        assert text in html
    assert "卖家申报" in html
    assert "保养记录" in html
    assert "¥380,000.00" in html


def test_draft_detail_is_not_found_for_visitors(client, dealer_org):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org))
    assert client.get(reverse("marketplace:listing_detail", args=[listing.pk])).status_code == 404
