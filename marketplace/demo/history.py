"""Hour-meter histories and service records of the simulated machines.

Readings rise over the machine's life to ``current_hours`` (the seller's reading, last);
service readings come with a maintenance record at the same hours; about 1% of machines get
an earlier telematics reading above the seller's, a rolled-back meter for the passport to flag.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from marketplace.demo.machines import (
    Progress,
    bulk_insert,
)
from marketplace.demo.pricing import (
    rng_for,
)
from marketplace.evidence import machines_evidence_refresh
from marketplace.hour_anomalies import machines_hours_anomaly_flag
from marketplace.models import (
    HourMeterReading,
    HourReadingSource,
    Machine,
    MaintenanceKind,
    MaintenanceRecord,
)

TELEMATICS_BRANDS = {"sany", "xcmg", "zoomlion", "sunward", "liugong"}


# --- hour readings and maintenance -----------------------------------------------------------

SERVICE_TASKS = (
    (MaintenanceKind.ROUTINE, "更换机油、机油滤芯和柴油滤芯，检查液压油位和冷却液", 1800),
    (MaintenanceKind.ROUTINE, "更换液压油回油滤芯和空气滤芯，全车加注黄油", 2600),
    (MaintenanceKind.PARTS, "更换斗齿和铲斗销轴套", 4200),
    (MaintenanceKind.REPAIR, "更换主泵密封件，修复液压管路渗漏", 9800),
    (MaintenanceKind.OVERHAUL, "发动机大修：更换活塞环、缸套和主轴瓦", 42000),
)


def _reading_times(machine: Machine, count: int, rng) -> list[dt.datetime]:
    now = timezone.now()
    year = machine.year_of_manufacture or now.year
    new_year = dt.datetime(year, 1, 1, 12, tzinfo=timezone.get_current_timezone())
    start = new_year + dt.timedelta(days=rng.uniform(30, 300))
    last = now - dt.timedelta(days=rng.uniform(1, 20))
    start = min(start, last - dt.timedelta(days=30))
    span = (last - start).total_seconds()
    fractions = sorted(rng.uniform(0.15, 0.95) for _ in range(count - 1))
    times = [start + dt.timedelta(seconds=span * f) for f in fractions]
    return [t.replace(hour=12, minute=0, second=0, microsecond=0) for t in times] + [last]


def plan_history(machine: Machine, seed: int) -> tuple[list, list, bool]:
    """Readings rising to ``current_hours`` (the seller's reading last), service records at
    the service readings, and for about 1% of machines an earlier telematics reading above
    the seller's: a rolled-back hour meter for the passport to flag."""
    rng = rng_for(seed, "history", machine.serial_number)
    hours = machine.current_hours or 0
    times = _reading_times(machine, rng.randint(2, 6), rng)
    start, last = times[0], times[-1]
    telematics = machine.brand.slug in TELEMATICS_BRANDS and rng.random() < 0.6
    rolled_back = len(times) >= 3 and rng.random() < 0.01
    readings, services = [], []
    previous = 0
    for position, at in enumerate(times[:-1]):
        share = (at - start).total_seconds() / max((last - start).total_seconds(), 1)
        value = max(previous, int(hours * (0.1 + 0.85 * share) * rng.uniform(0.95, 1.0)))
        source = HourReadingSource.TELEMATICS if telematics else HourReadingSource.SERVICE
        if rolled_back and position == len(times) - 2:
            value, source = int(hours * 1.4) + 500, HourReadingSource.TELEMATICS
        previous = value
        readings.append(HourMeterReading(machine=machine, hours=value, read_at=at, source=source))
        if source == HourReadingSource.SERVICE:
            kind, text, cost = rng.choice(
                SERVICE_TASKS[:3] if rng.random() < 0.8 else SERVICE_TASKS
            )
            services.append(
                MaintenanceRecord(
                    machine=machine,
                    performed_on=timezone.localtime(at).date(),
                    hours=value,
                    kind=kind,
                    description=text,
                    performed_by=f"{machine.city.removesuffix('市')}授权服务站（模拟）",
                    cost=Decimal(cost),
                )
            )
    readings.append(
        HourMeterReading(
            machine=machine,
            hours=hours,
            read_at=last,
            source=HourReadingSource.SELLER,
            note="卖家挂牌时申报（模拟）",
        )
    )
    return readings, services, rolled_back


def demo_history_seed(*, seed: int, log: Callable[[str], None]) -> int:
    machines = list(
        Machine.objects.filter(is_simulated=True, hour_readings__isnull=True)
        .select_related("brand")
        .order_by("id")
    )
    readings, services, rolled_back = [], [], []
    for machine in machines:
        machine_readings, machine_services, flagged = plan_history(machine, seed)
        readings += machine_readings
        services += machine_services
        if flagged:
            rolled_back.append(machine.pk)
    with transaction.atomic():
        bulk_insert(HourMeterReading, readings, Progress("hour readings", len(readings), log))
        bulk_insert(
            MaintenanceRecord, services, Progress("maintenance records", len(services), log)
        )
        # The planted rollbacks, through the flag's owner (the daily recompute applies the
        # whole rule later and may also flag a generated history with an implausible jump).
        machines_hours_anomaly_flag(machine_ids=rolled_back)
        machines_evidence_refresh(machine_ids=[machine.pk for machine in machines])
    return len(readings)
