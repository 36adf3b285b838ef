import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import HourMeterReading, Machine
from marketplace.services import hour_reading_record
from marketplace.tests.factories import MachineFactory

pytestmark = pytest.mark.django_db


def _at(days_ago: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days_ago)


def test_rollback_flags_the_machine_at_once(dealer_org):
    machine = MachineFactory(owner=dealer_org, year_of_manufacture=2018, current_hours=None)
    hour_reading_record(machine=machine, hours=5000, source="seller", actor=None, read_at=_at(30))
    assert Machine.objects.get(pk=machine.pk).hours_anomaly is False

    hour_reading_record(machine=machine, hours=4100, source="seller", actor=None, read_at=_at(1))

    machine.refresh_from_db()
    assert machine.hours_anomaly is True
    assert machine.current_hours == 4100
    assert HourMeterReading.objects.filter(machine=machine).count() == 2


def test_implausible_jump_flags_and_plausible_use_does_not(dealer_org):
    machine = MachineFactory(owner=dealer_org, year_of_manufacture=2018, current_hours=None)
    hour_reading_record(machine=machine, hours=3000, source="seller", actor=None, read_at=_at(10))
    hour_reading_record(machine=machine, hours=3150, source="service", actor=None, read_at=_at(2))
    machine.refresh_from_db()
    assert machine.hours_anomaly is False  # 150 h in 8 days is under 20 h/day

    hour_reading_record(machine=machine, hours=3400, source="seller", actor=None, read_at=_at(1))
    machine.refresh_from_db()
    assert machine.hours_anomaly is True  # 250 h in one day cannot happen
