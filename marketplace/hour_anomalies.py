"""Hour-meter anomaly detection: a pure function over a machine's readings.

Flags, in reading order (by time, then insertion):

* ``rollback`` – a reading lower than an earlier reading (meters only go up; a replaced
  meter must be documented as a new reading with a note, and still shows as a rollback);
* ``implausible_jump`` – more hours between two readings than the calendar allows at
  :data:`MAX_HOURS_PER_DAY` (20 h/day: two shifts plus travel; 24 h/day is the physical
  ceiling), with one hour of slack for meter rounding;
* ``before_manufacture`` – a reading dated before the year of manufacture;
* ``exceeds_age`` – more hours than :data:`MAX_HOURS_PER_DAY` since 1 January of the year of
  manufacture allows.

The bottom of the module is the one writer of ``Machine.hours_anomaly``: the marketplace owns
the rule and the flag; other apps (certification's passport, the daily recompute, the demo
seed) call these functions instead of writing the column themselves.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from marketplace.events import listing_changed
from marketplace.models import HourMeterReading, Machine

MAX_HOURS_PER_DAY = 20
# A meter cannot record more than this per calendar day; readings above the physical ceiling
# for the machine's age are refused outright (``marketplace.rules``), not merely flagged.
PHYSICAL_MAX_HOURS_PER_DAY = 24
ROUNDING_SLACK_HOURS = 1
SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class ReadingPoint:
    hours: int
    read_at: dt.datetime
    source: str = ""


@dataclass(frozen=True)
class HourAnomaly:
    kind: str
    read_at: dt.datetime
    hours: int
    previous_hours: int | None = None
    detail: str = ""


def _allowed_increase(start: dt.datetime, end: dt.datetime) -> float:
    days = max((end - start).total_seconds(), 0) / SECONDS_PER_DAY
    return MAX_HOURS_PER_DAY * days + ROUNDING_SLACK_HOURS


def detect_hour_anomalies(
    readings: Iterable[ReadingPoint], *, year_of_manufacture: int | None = None
) -> list[HourAnomaly]:
    """Every anomaly found; an empty list means the history is plausible."""
    anomalies: list[HourAnomaly] = []
    ordered = sorted(readings, key=lambda r: r.read_at)  # stable: ties keep insertion order
    highest: ReadingPoint | None = None
    previous: ReadingPoint | None = None
    for reading in ordered:
        if year_of_manufacture is not None:
            anomalies.extend(_against_manufacture(reading, year_of_manufacture))
        if highest is not None and reading.hours < highest.hours:
            anomalies.append(HourAnomaly("rollback", reading.read_at, reading.hours, highest.hours))
        if previous is not None and reading.hours > previous.hours:
            allowed = _allowed_increase(previous.read_at, reading.read_at)
            if reading.hours - previous.hours > allowed:
                anomalies.append(
                    HourAnomaly(
                        "implausible_jump",
                        reading.read_at,
                        reading.hours,
                        previous.hours,
                        detail=f"+{reading.hours - previous.hours} h > {allowed:.0f} h",
                    )
                )
        if highest is None or reading.hours >= highest.hours:
            highest = reading
        previous = reading
    return anomalies


def _against_manufacture(reading: ReadingPoint, year: int) -> list[HourAnomaly]:
    if reading.read_at.year < year:
        return [HourAnomaly("before_manufacture", reading.read_at, reading.hours)]
    start = dt.datetime(year, 1, 1, tzinfo=reading.read_at.tzinfo)
    if reading.hours > _allowed_increase(start, reading.read_at):
        return [HourAnomaly("exceeds_age", reading.read_at, reading.hours)]
    return []


# --- the flag on the machine (the only writer of ``Machine.hours_anomaly``) ------------------


def machine_hour_anomalies(
    machine: Machine, readings: Sequence[HourMeterReading] | None = None
) -> list[HourAnomaly]:
    """The anomalies of the readings in force (a reading superseded by a correction no longer
    counts). ``readings`` saves the query when the caller has just loaded them."""
    if readings is None:
        readings = machine.hour_readings.effective().order_by("read_at", "id")
    return detect_hour_anomalies(
        [ReadingPoint(r.hours, r.read_at, r.source) for r in readings],
        year_of_manufacture=machine.year_of_manufacture,
    )


def machine_hours_anomaly_refresh(
    *,
    machine: Machine,
    readings: Sequence[HourMeterReading] | None = None,
    reindex: bool = True,
) -> bool:
    """Recompute ``Machine.hours_anomaly`` from the readings in force and return it.

    Writes only when the flag changes; then, unless ``reindex`` is off (the caller reindexes
    the machine's listings itself), the live listings are reindexed after commit so buyers
    see the warning."""
    flagged = bool(machine_hour_anomalies(machine, readings))
    # One UPDATE, atomic on its own: no savepoint inside the caller's transaction.
    changed = (
        Machine.objects.filter(pk=machine.pk)
        .exclude(hours_anomaly=flagged)
        .update(hours_anomaly=flagged)
    )
    machine.hours_anomaly = flagged
    if changed and reindex:
        for listing_id in machine.listings.live().values_list("id", flat=True):
            listing_changed(listing_id)
    return flagged


def machines_hours_anomaly_recompute(
    *, log: Callable[[str], None] | None = None
) -> tuple[int, int]:
    """Recompute the flag of every machine (a rule change or a reading written outside
    :func:`marketplace.services.hour_reading_record` would otherwise leave it stale).

    Returns (machines checked, machines flagged)."""
    checked = flagged = 0
    for machine in Machine.objects.order_by("id").iterator(chunk_size=500):
        flagged += machine_hours_anomaly_refresh(machine=machine)
        checked += 1
        if log and checked % 500 == 0:
            log(f"{checked} machines checked, {flagged} flagged")
    return checked, flagged


def machines_hours_anomaly_flag(*, machine_ids: Iterable[int]) -> int:
    """Set the flag on machines whose readings were bulk-inserted with a known anomaly (the
    demo seed's planted rollbacks). No reindex: the seed indexes everything afterwards.
    Returns the number of rows changed."""
    return (
        Machine.objects.filter(pk__in=list(machine_ids))
        .exclude(hours_anomaly=True)
        .update(hours_anomaly=True)
    )
