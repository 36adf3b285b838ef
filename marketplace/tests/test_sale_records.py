"""One sale-record builder: the four writers fill every field the same way for the same
machine, and a platform sale keeps the listing's currency."""

import datetime as dt
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from marketplace import services
from marketplace.catalog import CATEGORIES_BY_SLUG, ModelDef
from marketplace.demo.listings import ListingPlan
from marketplace.demo.listings import _sale_record as demo_listing_sale_record
from marketplace.demo.machines import Catalogue
from marketplace.demo.sales import plan_sale
from marketplace.models import (
    Brand,
    Category,
    EquipmentModel,
    ListingStatus,
    Machine,
    SaleChannel,
    SaleFormat,
    SaleRecord,
    SaleSource,
)
from marketplace.sale_records import (
    SALE_CHANNEL_BY_FORMAT,
    sale_channel_for,
    sale_record_snapshot,
)
from marketplace.tests.factories import ListingFactory, MachineFactory
from valuation.importing import bluebook_import

# Where the writers differ by design: who sold, the key, the channel and the currency.
PROVENANCE = {"id", "machine", "listing", "source", "external_id", "sale_channel", "currency"}


def _fields(record: SaleRecord | dict, *, leave_out=PROVENANCE) -> dict:
    values = record if isinstance(record, dict) else model_to_dict(record)
    values = {name: value for name, value in values.items() if name not in leave_out}
    if "price" in values:
        values["price"] = Decimal(values["price"])
    return values


@pytest.fixture
def machine(sy215, dealer_org):
    return MachineFactory(
        equipment_model=sy215,
        owner=dealer_org,
        condition_grade="B",
        emission_stage="china4",
        accident_history="minor",
        current_hours=5123,
    )


def test_one_channel_map_for_formats_and_order_channels():
    assert dict(SALE_CHANNEL_BY_FORMAT) == {
        "fixed": SaleChannel.FIXED,
        "offer": SaleChannel.OFFER,
        "auction": SaleChannel.AUCTION,
    }
    assert sale_channel_for("auction") == SaleChannel.AUCTION
    assert sale_channel_for("barter") == SaleChannel.FIXED
    assert sale_channel_for(None) == SaleChannel.FIXED


def test_platform_sale_and_demo_listing_record_the_same_snapshot(machine, buyer_org):
    listing = ListingFactory(
        machine=machine, status=ListingStatus.RESERVED, sale_format=SaleFormat.OFFER
    )
    sold_on = dt.date(2026, 11, 2)
    sold = services.listing_mark_sold(
        listing=listing,
        price=Decimal("351234.5"),
        channel=SaleChannel.OFFER,
        buyer=buyer_org,
        actor=None,
        sold_on=sold_on,
    )
    machine.refresh_from_db()
    machine.owner = listing.seller  # the demo builds the record before the transfer
    plan = ListingPlan(
        listing=listing,
        events=[],
        sold_at=timezone.make_aware(dt.datetime.combine(sold_on, dt.time(12))),
        sold_price=Decimal("351234.50"),
    )
    listing.machine = machine
    demo = demo_listing_sale_record(plan, listing.pk)
    expected = {
        "sold_at": sold_on,
        "price": Decimal("351234.50"),
        "category_slug": "excavator-medium",
        "size_class": "Medium excavators",
        "brand_name": "三一",
        "model_name": "SY215C",
        "base_model": "SY215",
        "year_of_manufacture": 2019,
        "hours": 5123,
        "province": "湖南省",
        "city": "长沙市",
        "condition_grade": "B",
        "is_remanufactured": False,
        "emission_stage": "china4",
        "attributes": {
            "operating_weight_t": "21.50",
            "engine_power_kw": "114.0",
            "category_root": "excavator",
            "accident_history": "minor",
            "hours_verified": "0",
            "service_records": "0",
        },
    }
    assert _fields(sold) == expected
    assert _fields(demo) == expected
    assert (sold.sale_channel, demo.sale_channel) == (SaleChannel.OFFER, SaleChannel.OFFER)
    assert (sold.source, demo.source) == (SaleSource.PLATFORM, SaleSource.SIMULATED)
    assert (sold.currency, demo.currency) == ("CNY", "CNY")
    assert (demo.machine_id, demo.listing_id) == (machine.pk, listing.pk)


def test_simulated_history_fills_fields_like_a_machine_snapshot(excavators):
    _root, medium = excavators
    medium.name_en = CATEGORIES_BY_SLUG["excavator-medium"].name_en
    medium.save()
    brand = Brand.objects.create(name="三一", name_en="SANY", slug="sany")
    model = EquipmentModel.objects.create(
        brand=brand,
        category=medium,
        name="SY215C",
        base_model="SY215",
        operating_weight_t=Decimal("21.50"),
        engine_power_kw=Decimal("114.0"),
    )
    spec = ModelDef("sany", "excavator", "SY215C", "SY215", 21.5, 114.0, price_wan=60)
    catalogue = Catalogue(models=[model], specs={model.pk: spec}, weights=[1.0])
    record = plan_sale(index=7, seed=3, catalogue=catalogue, today=dt.date(2026, 12, 1))
    # The same machine as a row: every fact the simulation sampled, then its snapshot.
    same_machine = Machine(
        equipment_model=model,
        brand=brand,
        category=medium,
        year_of_manufacture=record.year_of_manufacture,
        current_hours=record.hours,
        province=record.province,
        city=record.city,
        condition_grade=record.condition_grade,
        is_remanufactured=record.is_remanufactured,
        emission_stage=record.emission_stage,
        accident_history=record.attributes["accident_history"],
    )
    snapshot = sale_record_snapshot(
        same_machine, price=record.price, sold_on=record.sold_at, source=SaleSource.SIMULATED
    )
    # A machine row says what its history proves (nothing yet: "0"); a simulated sale has no
    # history at all, so the evidence stays unknown (the model reads a missing key as NaN).
    assert {
        key: snapshot["attributes"].pop(key) for key in ("hours_verified", "service_records")
    } == {
        "hours_verified": "0",
        "service_records": "0",
    }
    assert _fields(model_to_dict(record)) == _fields(snapshot)
    assert (record.external_id, record.currency) == ("sim-0000007", "CNY")
    assert record.sale_channel in set(SaleChannel.values)


def test_imported_record_fills_fields_like_a_machine_snapshot(db, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text(
        "SalesID,SalePrice,MachineID,YearMade,MachineHoursCurrentMeter,saledate,fiModelDesc,"
        "fiBaseModel,ProductSize,fiProductClassDesc,state,ProductGroup,Enclosure\n"
        "1139248,57000.0,117657,1996,4640.0,3/26/2004 0:00,950FII,950,Medium,"
        "Wheel Loader - 150.0 to 175.0 Horsepower,North Carolina,WL,EROPS w AC\n",
        encoding="utf-8",
    )
    bluebook_import(path=path)
    record = SaleRecord.objects.get(source=SaleSource.EXTERNAL, external_id="1139248")
    category = Category(slug="wheel-loader", name="装载机", name_en="Medium")
    brand = Brand(name="unknown", slug="unknown")
    same_machine = Machine(
        equipment_model=EquipmentModel(
            brand=brand, category=category, name="950FII", base_model="950"
        ),
        brand=brand,
        category=category,
        year_of_manufacture=1996,
        current_hours=4640,
        province="North Carolina",
        city="",
    )
    snapshot = sale_record_snapshot(
        same_machine,
        price=Decimal("57000"),
        sold_on=dt.date(2004, 3, 26),
        source=SaleSource.EXTERNAL,
        category_root="wheel-loader",
    )
    # The file carries its own attributes (product class, enclosure) instead of the model's.
    assert _fields(record, leave_out=PROVENANCE | {"attributes"}) == _fields(
        snapshot, leave_out=PROVENANCE | {"attributes"}
    )
    assert (record.currency, record.sale_channel) == ("USD", SaleChannel.EXTERNAL_AUCTION)
    assert record.attributes["enclosure"] == "EROPS w AC"


def test_a_sale_in_another_currency_is_recorded_in_that_currency(machine, buyer_org):
    listing = ListingFactory(machine=machine, status=ListingStatus.RESERVED, currency="USD")
    record = services.listing_mark_sold(
        listing=listing,
        price=Decimal("48000"),
        channel=SaleChannel.FIXED,
        buyer=buyer_org,
        actor=None,
    )
    record.refresh_from_db()
    assert (record.currency, record.price) == ("USD", Decimal("48000.00"))
    assert SaleRecord.objects.filter(listing=listing, currency="CNY").count() == 0


def test_demo_channel_follows_the_listing_sale_format(machine):
    listing = ListingFactory(machine=machine, sale_format=SaleFormat.AUCTION, asking_price=None)
    plan = ListingPlan(listing=listing, events=[], sold_at=timezone.now(), sold_price=Decimal(9))
    assert demo_listing_sale_record(plan, listing.pk).sale_channel == SaleChannel.AUCTION
