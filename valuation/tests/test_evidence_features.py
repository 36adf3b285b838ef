"""The machine-history evidence (verified hours, service records) reaches the model's features
the same way from a listed machine and from the sale record it leaves behind."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.evidence import machine_evidence_refresh, machines_evidence_refresh
from marketplace.models import (
    HourMeterReading,
    HourReadingSource,
    Machine,
    MaintenanceRecord,
    SaleSource,
)
from marketplace.sale_records import machine_evidence, sale_record_snapshot
from marketplace.services.machines import hour_reading_record, maintenance_record_add
from marketplace.tests.factories import MachineFactory
from valuation.ml.features import raw_features
from valuation.records import record_from_machine, record_from_sale

pytestmark = pytest.mark.django_db


def reading(machine, hours: int, source: str, days_ago: int) -> HourMeterReading:
    return hour_reading_record(
        machine=machine,
        hours=hours,
        source=source,
        actor=None,
        read_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def test_a_machine_without_readings_or_records_has_declared_hours_and_no_service():
    assert machine_evidence(MachineFactory()) == {"hours_verified": "0", "service_records": "0"}


def test_the_reading_in_force_decides_whether_hours_are_verified():
    machine = MachineFactory()
    reading(machine, 3000, HourReadingSource.INSPECTION, days_ago=30)
    assert machine_evidence(machine)["hours_verified"] == "1"

    reading(machine, 3100, HourReadingSource.SELLER, days_ago=1)
    assert machine_evidence(machine)["hours_verified"] == "0"

    reading(machine, 3120, HourReadingSource.TELEMATICS, days_ago=0)
    assert machine_evidence(machine)["hours_verified"] == "1"


def test_listing_record_and_sale_record_carry_the_same_evidence_features():
    machine = MachineFactory()
    reading(machine, 4200, HourReadingSource.SERVICE, days_ago=2)
    for days in (400, 200):
        MaintenanceRecord.objects.create(
            machine=machine,
            performed_on=dt.date.today() - dt.timedelta(days=days),
            kind="routine",
            description="500 h service",
        )
    machine_evidence_refresh(machine)
    listed = raw_features(record_from_machine(machine, as_of=dt.date(2026, 12, 1)))
    fields = sale_record_snapshot(
        machine,
        price=Decimal("480000"),
        sold_on=dt.date(2026, 12, 1),
        source=SaleSource.PLATFORM,
    )
    row = {
        "sold_at": fields["sold_at"],
        "price": fields["price"],
        "category_slug": fields["category_slug"],
        "size_class": fields["size_class"],
        "brand_name": fields["brand_name"],
        "model_name": fields["model_name"],
        "base_model": fields["base_model"],
        "year_of_manufacture": fields["year_of_manufacture"],
        "hours": fields["hours"],
        "province": fields["province"],
        "city": fields["city"],
        "condition_grade": fields["condition_grade"],
        "is_remanufactured": fields["is_remanufactured"],
        "emission_stage": fields["emission_stage"],
        "sale_channel": fields["sale_channel"],
        "attributes": fields["attributes"],
    }
    sold = raw_features(record_from_sale(row))

    assert (listed["hours_verified"], listed["service_records"]) == (1.0, 2.0)
    assert (sold["hours_verified"], sold["service_records"]) == (1.0, 2.0)
    assert math.isnan(listed["service_compliance"]) and math.isnan(listed["hour_integrity"])


def test_imported_auction_rows_have_no_evidence():
    features = raw_features({"sold_at": dt.date(2012, 3, 1), "attributes": {"data_source": "149"}})

    assert features["data_source"] == "149"
    assert all(
        math.isnan(features[key])
        for key in ("hours_verified", "service_records", "service_compliance", "hour_integrity")
    )


def test_adding_a_maintenance_record_through_the_service_counts_it():
    from accounts.tests.factories import MembershipFactory

    machine = MachineFactory()
    member = MembershipFactory(organization=machine.owner, role="owner").user
    maintenance_record_add(
        machine=machine,
        actor=member,
        performed_on=dt.date.today(),
        kind="routine",
        description="保养",
    )

    assert Machine.objects.get(pk=machine.pk).service_record_count == 1
    assert machine_evidence(machine) == {"hours_verified": "0", "service_records": "1"}


def test_bulk_refresh_recomputes_only_what_changed():
    first, second = MachineFactory(), MachineFactory()
    HourMeterReading.objects.create(
        machine=first, hours=100, source=HourReadingSource.INSPECTION, read_at=timezone.now()
    )

    assert machines_evidence_refresh() == 1
    assert machines_evidence_refresh() == 0
    assert Machine.objects.get(pk=first.pk).hours_verified is True
    assert Machine.objects.get(pk=second.pk).hours_verified is False
