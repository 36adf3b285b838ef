"""The marketplace is the one writer of ``Machine.hours_anomaly`` (marketplace.hour_anomalies):
the per-machine refresh, the daily recompute task and command, and the demo's bulk flag."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import import_string

from marketplace.hour_anomalies import (
    machine_hour_anomalies,
    machine_hours_anomaly_refresh,
    machines_hours_anomaly_flag,
)
from marketplace.models import HourMeterReading, Machine
from marketplace.tasks import hours_anomaly_recompute_task
from marketplace.tests.factories import ListingFactory, MachineFactory

pytestmark = pytest.mark.django_db


def _reading(machine: Machine, hours: int, days_ago: int) -> HourMeterReading:
    # Written directly, as a reading arriving outside hour_reading_record would be.
    return HourMeterReading.objects.create(
        machine=machine,
        hours=hours,
        source="telematics",
        read_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def _rolled_back(owner) -> Machine:
    machine = MachineFactory(owner=owner, year_of_manufacture=2018, current_hours=None)
    _reading(machine, 5000, 30)
    _reading(machine, 4100, 1)
    return machine


def test_refresh_writes_only_a_change_and_reindexes_live_listings_then(
    dealer_org, django_capture_on_commit_callbacks
):
    machine = _rolled_back(dealer_org)
    ListingFactory(machine=machine, status="published")
    ListingFactory(machine=machine, status="draft")

    with django_capture_on_commit_callbacks() as changed:
        assert machine_hours_anomaly_refresh(machine=machine) is True
    with django_capture_on_commit_callbacks() as unchanged:
        assert machine_hours_anomaly_refresh(machine=machine) is True

    assert Machine.objects.get(pk=machine.pk).hours_anomaly is True
    assert (len(changed), len(unchanged)) == (1, 0)  # the published listing, once


def test_refresh_without_reindex_leaves_the_listings_to_the_caller(
    dealer_org, django_capture_on_commit_callbacks
):
    machine = _rolled_back(dealer_org)
    ListingFactory(machine=machine, status="published")
    with django_capture_on_commit_callbacks() as callbacks:
        assert machine_hours_anomaly_refresh(machine=machine, reindex=False) is True
    assert callbacks == []
    assert Machine.objects.get(pk=machine.pk).hours_anomaly is True


def test_anomalies_are_read_from_the_given_readings_when_passed(dealer_org):
    machine = MachineFactory(owner=dealer_org, year_of_manufacture=2018, current_hours=None)
    at = timezone.now()
    planned = [
        HourMeterReading(machine=machine, hours=900, read_at=at - dt.timedelta(days=9)),
        HourMeterReading(machine=machine, hours=800, read_at=at),
    ]
    assert [a.kind for a in machine_hour_anomalies(machine, planned)] == ["rollback"]
    assert machine_hour_anomalies(machine) == []  # nothing stored


def test_daily_task_is_scheduled_from_marketplace_and_fixes_stale_flags(dealer_org):
    stale = _rolled_back(dealer_org)
    wrongly_flagged = MachineFactory(owner=dealer_org, hours_anomaly=True)
    _reading(wrongly_flagged, 100, 5)
    plain = MachineFactory(owner=dealer_org, hours_anomaly=False)

    path = "marketplace.tasks.hours_anomaly_recompute_task"
    assert settings.PERIODIC_TASKS[path] == 86400
    assert import_string(path) is hours_anomaly_recompute_task
    assert hours_anomaly_recompute_task.call() == 1

    flags = dict(Machine.objects.values_list("pk", "hours_anomaly"))
    assert flags == {stale.pk: True, wrongly_flagged.pk: False, plain.pk: False}


def test_recompute_command_reports_machines_checked_and_flagged(dealer_org):
    _rolled_back(dealer_org)
    MachineFactory(owner=dealer_org)
    out = io.StringIO()
    call_command("hours_anomaly_recompute", stdout=out)
    assert out.getvalue() == "2 machines checked, 1 flagged\n"


def test_bulk_flag_counts_only_machines_it_changed(dealer_org):
    first, second = MachineFactory(owner=dealer_org), MachineFactory(owner=dealer_org)
    already = MachineFactory(owner=dealer_org, hours_anomaly=True)
    assert machines_hours_anomaly_flag(machine_ids=[first.pk, already.pk]) == 1
    flags = dict(Machine.objects.values_list("pk", "hours_anomaly"))
    assert flags == {first.pk: True, second.pk: False, already.pk: True}
