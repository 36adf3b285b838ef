"""The machine-history evidence a valuation reads: the only writer of ``Machine.hours_verified``
and ``Machine.service_record_count``.

Both are projections of append-only rows (hour readings, maintenance records), kept on the
machine so a listing valuation reads them without a query (the online budget is 20 ms, and
two look-ups cost 2-4 ms on PostgreSQL). ``hours_verified`` is true when the reading in force
was taken by someone other than the seller (an inspection, telematics, a service visit).
Services that add readings or records call :func:`machine_evidence_refresh`; bulk writers
(the demo seed, the data migration) call :func:`machines_evidence_refresh`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from marketplace.models import HourMeterReading, HourReadingSource, Machine, MaintenanceRecord

VERIFYING_HOUR_SOURCES = frozenset(
    {HourReadingSource.INSPECTION, HourReadingSource.TELEMATICS, HourReadingSource.SERVICE}
)


def _latest_source():
    return (
        HourMeterReading.objects.filter(machine=OuterRef("pk"))
        .exclude(Exists(HourMeterReading.objects.filter(corrects=OuterRef("pk"))))
        .order_by("-read_at", "-id")
        .values("source")[:1]
    )


def _service_count():
    counted = (
        MaintenanceRecord.objects.filter(machine=OuterRef("pk"))
        .order_by()
        .values("machine")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def machines_evidence_refresh(*, machine_ids: Iterable[int] | None = None) -> int:
    """Recompute both projections for these machines (all when None); returns rows updated."""
    machines = Machine.objects.all()
    if machine_ids is not None:
        machines = machines.filter(pk__in=list(machine_ids))
    rows = machines.annotate(latest_source=Subquery(_latest_source()), services=_service_count())
    updated = 0
    for pk, source, services, verified, count in rows.values_list(
        "pk", "latest_source", "services", "hours_verified", "service_record_count"
    ).iterator(chunk_size=2000):
        now_verified = source in VERIFYING_HOUR_SOURCES
        if (now_verified, services) != (verified, count):
            updated += Machine.objects.filter(pk=pk).update(
                hours_verified=now_verified, service_record_count=services
            )
    return updated


def machine_evidence_refresh(machine: Machine) -> None:
    """Recompute one machine's projections and keep the instance in step."""
    machines_evidence_refresh(machine_ids=[machine.pk])
    machine.refresh_from_db(fields=["hours_verified", "service_record_count"])
