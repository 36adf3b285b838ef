"""The database enforces the marketplace invariants even when services are bypassed."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from marketplace.models import Listing, ListingStatus, Machine, SaleRecord
from marketplace.tests.factories import (
    BrandFactory,
    EquipmentModelFactory,
    ListingFactory,
    MachineFactory,
    SaleRecordFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("second_status", ["submitted", "published", "reserved"])
def test_one_live_listing_per_machine(second_status):
    machine = MachineFactory()
    ListingFactory(machine=machine, status=ListingStatus.PUBLISHED)
    with pytest.raises(IntegrityError), transaction.atomic():
        ListingFactory(machine=machine, status=second_status)
    assert Listing.objects.filter(machine=machine).count() == 1


@pytest.mark.parametrize("other_status", ["draft", "withdrawn", "rejected", "expired", "sold"])
def test_finished_or_draft_listings_do_not_block(other_status):
    machine = MachineFactory()
    ListingFactory(machine=machine, status=ListingStatus.PUBLISHED)
    ListingFactory(machine=machine, status=other_status)
    assert Listing.objects.filter(machine=machine).count() == 2


@pytest.mark.parametrize("price", [Decimal("0"), Decimal("-1.00")])
def test_asking_price_must_be_positive(price):
    with pytest.raises(IntegrityError), transaction.atomic():
        ListingFactory(asking_price=price)
    assert Listing.objects.count() == 0


def test_price_required_unless_auction():
    with pytest.raises(IntegrityError), transaction.atomic():
        ListingFactory(asking_price=None, sale_format="fixed")
    ListingFactory(asking_price=None, sale_format="auction")
    assert Listing.objects.count() == 1


def test_serial_unique_per_brand_not_across_brands():
    machine = MachineFactory(serial_number="SY-0001")
    with pytest.raises(IntegrityError), transaction.atomic():
        MachineFactory(serial_number="SY-0001", equipment_model=machine.equipment_model)
    other_brand_model = EquipmentModelFactory(
        brand=BrandFactory(slug="xcmg", name="徐工", name_en="XCMG"), name="XE215DA"
    )
    MachineFactory(serial_number="SY-0001", equipment_model=other_brand_model)
    assert Machine.objects.filter(serial_number="SY-0001").count() == 2


def test_machine_year_must_be_plausible():
    with pytest.raises(IntegrityError), transaction.atomic():
        MachineFactory(year_of_manufacture=1800)
    assert Machine.objects.count() == 0


def test_sale_record_price_positive_and_external_id_unique():
    with pytest.raises(IntegrityError), transaction.atomic():
        SaleRecordFactory(price=Decimal("0"))
    SaleRecordFactory(external_id="bb-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        SaleRecordFactory(external_id="bb-1")
    SaleRecordFactory(external_id="")
    SaleRecordFactory(external_id="")
    assert SaleRecord.objects.count() == 3
