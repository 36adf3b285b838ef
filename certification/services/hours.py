"""The machine's hours-anomaly flag: per machine and the daily recompute of all machines."""

from django.db import transaction

from certification.services.common import machine_listings_changed
from marketplace.hour_anomalies import HourAnomaly, ReadingPoint, detect_hour_anomalies
from marketplace.models import Machine


def machine_hour_anomalies(machine: Machine) -> list[HourAnomaly]:
    # Readings superseded by a correction no longer count (marketplace.services).
    readings = machine.hour_readings.effective().order_by("read_at", "id")
    return detect_hour_anomalies(
        [ReadingPoint(r.hours, r.read_at, r.source) for r in readings],
        year_of_manufacture=machine.year_of_manufacture,
    )


def machine_hours_anomaly_refresh(*, machine: Machine) -> bool:
    """Recompute ``Machine.hours_anomaly``; reindex live listings when it changes."""
    flagged = bool(machine_hour_anomalies(machine))
    with transaction.atomic():
        changed = (
            Machine.objects.filter(pk=machine.pk)
            .exclude(hours_anomaly=flagged)
            .update(hours_anomaly=flagged)
        )
        machine.hours_anomaly = flagged
        if changed:
            machine_listings_changed(machine)
    return flagged


def machines_hours_anomaly_recompute(*, log=None) -> tuple[int, int]:
    """Recompute the flag for every machine (readings may arrive through other services).

    Returns (machines checked, machines flagged)."""
    checked = flagged = 0
    for machine in Machine.objects.order_by("id").iterator(chunk_size=500):
        flagged += machine_hours_anomaly_refresh(machine=machine)
        checked += 1
        if log and checked % 500 == 0:
            log(f"{checked} machines checked, {flagged} flagged")
    return checked, flagged
