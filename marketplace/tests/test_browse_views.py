"""The public listing detail page (the browse page is search's: search/tests)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.models import HourMeterReading, MaintenanceRecord
from marketplace.tests.factories import (
    ListingFactory,
    MachineFactory,
    PublishedListingFactory,
)

pytestmark = pytest.mark.django_db


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
