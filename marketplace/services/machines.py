"""Machines, their hour readings (appended, corrected, never edited) and maintenance."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.permissions import (
    Permission,
    has_org_permission,
    is_platform_staff,
    require_org_permission,
)
from core.errors import ConflictError, DomainError, PermissionDeniedError
from core.geo import find_city
from marketplace.events import listing_changed
from marketplace.evidence import machine_evidence_refresh
from marketplace.hour_anomalies import machine_hours_anomaly_refresh
from marketplace.lock_objects import machine_lock
from marketplace.models import (
    Category,
    EquipmentModel,
    HourMeterReading,
    HourReadingSource,
    Machine,
    MaintenanceRecord,
)
from marketplace.rules import current_marketplace_rules


@dataclass(frozen=True)
class MachineInput:
    equipment_model: EquipmentModel
    serial_number: str
    year_of_manufacture: int | None
    city: str
    hours: int | None = None
    emission_stage: str = ""
    district: str = ""
    accident_history: str = "none"


@transaction.atomic
def machine_create(
    *, owner: Organization, actor: User, data: MachineInput, is_simulated: bool = False
) -> Machine:
    require_org_permission(actor, owner, Permission.LISTING_MANAGE)
    city = find_city(data.city)
    current_year = timezone.localdate().year
    if data.year_of_manufacture and data.year_of_manufacture > current_year:
        raise DomainError(
            _("出厂年份不能晚于今年。"),
            fields={"year_of_manufacture": [_("出厂年份不能晚于今年。")]},
        )
    machine = Machine(
        equipment_model=data.equipment_model,
        brand=data.equipment_model.brand,
        category=data.equipment_model.category,
        serial_number=data.serial_number.strip().upper(),
        year_of_manufacture=data.year_of_manufacture,
        emission_stage=data.emission_stage,
        owner=owner,
        province=city.province if city else owner.province,
        city=city.name if city else data.city,
        district=data.district,
        latitude=Decimal(str(city.latitude)) if city else None,
        longitude=Decimal(str(city.longitude)) if city else None,
        accident_history=data.accident_history,
        is_simulated=is_simulated,
    )
    if data.hours is not None:
        check_hours_plausible(
            hours=data.hours,
            year_of_manufacture=data.year_of_manufacture,
            category=machine.category,
            read_at=timezone.now(),
        )
    if Machine.objects.filter(brand=machine.brand, serial_number=machine.serial_number).exists():
        raise DomainError(
            _("该品牌下已存在相同出厂编号的设备。"),
            fields={"serial_number": [_("该品牌下已存在相同出厂编号的设备。")]},
        )
    machine.save()
    if data.hours is not None:
        hour_reading_record(
            machine=machine, hours=data.hours, source=HourReadingSource.SELLER, actor=actor
        )
    return machine


def check_hours_plausible(
    *,
    hours: int,
    year_of_manufacture: int | None,
    category: Category,
    read_at: dt.datetime,
    field: str = "hours",
) -> None:
    """Refuse a reading the machine cannot have reached by ``read_at`` (see marketplace.rules).

    Ceilings: 24 h per day and the category's annual maximum, both counted from 1 January of
    the year of manufacture; an unknown year is bounded by the absolute maximum."""
    if hours < 0:
        raise DomainError(_("小时数不能为负数。"), fields={field: [_("小时数不能为负数。")]})
    rules = current_marketplace_rules()
    ceiling = rules.max_hours_for(
        year_of_manufacture=year_of_manufacture,
        category_slug=category.root.slug,
        on=timezone.localtime(read_at).date(),
    )
    if hours > ceiling:
        message = _(
            "小时数 %(hours)s 不可能：按出厂年份和设备类别，到读数日期最多 %(max)s 小时。"
        ) % {"hours": f"{hours:,}", "max": f"{ceiling:,}"}
        raise DomainError(message, code="hours_implausible", fields={field: [message]})


def _refresh_machine_hours(machine: Machine) -> None:
    """Current hours and the anomaly flag from the readings in force (corrections applied)."""
    readings = list(machine.hour_readings.effective().order_by("read_at", "id"))
    latest = max(readings, key=lambda r: (r.read_at, r.id)) if readings else None
    current = latest.hours if latest is not None else None
    Machine.objects.filter(pk=machine.pk).update(current_hours=current)
    machine.current_hours = current
    machine_hours_anomaly_refresh(machine=machine, readings=readings, reindex=False)
    machine_evidence_refresh(machine)
    for listing_id in machine.listings.live().values_list("id", flat=True):
        listing_changed(listing_id)


def hour_reading_record(
    *,
    machine: Machine,
    hours: int,
    source: str,
    actor: User | None,
    read_at: dt.datetime | None = None,
    note: str = "",
) -> HourMeterReading:
    """Append a reading. Readings are never edited; a correction is a new reading
    (:func:`hour_reading_correct`).

    A reading above what the machine can physically have run is refused. Also refreshes the
    machine's current hours and its hours-anomaly flag (rollbacks, implausible jumps), so
    buyers see a suspicious meter as soon as the reading lands.
    """
    read_at = read_at or timezone.now()
    check_hours_plausible(
        hours=hours,
        year_of_manufacture=machine.year_of_manufacture,
        category=machine.category,
        read_at=read_at,
    )
    with transaction.atomic():
        reading = HourMeterReading.objects.create(
            machine=machine,
            hours=hours,
            source=source,
            recorded_by=actor,
            read_at=read_at,
            note=note,
        )
        _refresh_machine_hours(machine)
    return reading


def can_correct_reading(user: User | None, reading: HourMeterReading) -> bool:
    """Staff correct any reading; the owner corrects the readings it declared itself."""
    if is_platform_staff(user):
        return True
    return reading.source == HourReadingSource.SELLER and has_org_permission(
        user, reading.machine.owner, Permission.LISTING_MANAGE
    )


@transaction.atomic
def hour_reading_correct(
    *, reading: HourMeterReading, actor: User, hours: int, reason: str
) -> HourMeterReading:
    """Supersede a mistaken reading with a corrected one at the same time, saying why.

    The original stays in the history (shown as superseded) and stops counting for the
    current hours and the anomaly flag. A correction can itself be corrected.
    """
    machine = machine_lock(reading.machine_id)
    reading = HourMeterReading.objects.select_related("machine__owner").get(pk=reading.pk)
    if not can_correct_reading(actor, reading):
        raise PermissionDeniedError(_("只有设备所有人（其申报的读数）或平台人员可以更正读数。"))
    reason = (reason or "").strip()
    if not reason:
        message = _("更正读数时必须填写原因。")
        raise DomainError(message, code="reason_required", fields={"reason": [message]})
    if HourMeterReading.objects.filter(corrects=reading).exists():
        raise ConflictError(_("该读数已被更正。"), code="already_corrected")
    check_hours_plausible(
        hours=hours,
        year_of_manufacture=machine.year_of_manufacture,
        category=machine.category,
        read_at=reading.read_at,
    )
    correction = HourMeterReading.objects.create(
        machine=machine,
        hours=hours,
        source=reading.source,
        recorded_by=actor,
        read_at=reading.read_at,
        note=reading.note,
        corrects=reading,
        correction_reason=reason[:200],
    )
    _refresh_machine_hours(machine)
    return correction


@transaction.atomic
def maintenance_record_add(
    *,
    machine: Machine,
    actor: User,
    performed_on: dt.date,
    kind: str,
    description: str,
    hours: int | None = None,
    performed_by: str = "",
    cost: Decimal | None = None,
) -> MaintenanceRecord:
    require_org_permission(actor, machine.owner, Permission.LISTING_MANAGE)
    record = MaintenanceRecord.objects.create(
        machine=machine,
        performed_on=performed_on,
        kind=kind,
        description=description,
        hours=hours,
        performed_by=performed_by,
        cost=cost,
    )
    machine_evidence_refresh(machine)
    if hours is not None:
        hour_reading_record(
            machine=machine,
            hours=hours,
            source=HourReadingSource.SERVICE,
            actor=actor,
            read_at=timezone.make_aware(dt.datetime.combine(performed_on, dt.time(12))),
        )
    return record


@transaction.atomic
def machine_hours_report(
    *,
    machine: Machine,
    actor: User,
    hours: int,
    read_at: dt.datetime | None = None,
    note: str = "",
) -> HourMeterReading:
    """The owner declares an hour-meter reading (source: seller).

    A declared reading may not go below an earlier reading or lie in the future: a meter that
    was replaced is recorded by an inspection, not by the seller.
    """
    require_org_permission(actor, machine.owner, Permission.LISTING_MANAGE)
    machine = machine_lock(machine.pk)
    read_at = read_at or timezone.now()
    if read_at > timezone.now() + dt.timedelta(minutes=5):
        raise DomainError(
            _("读数时间不能晚于现在。"), fields={"read_at": [_("读数时间不能晚于现在。")]}
        )
    earlier = (
        machine.hour_readings.effective()
        .filter(read_at__lte=read_at)
        .order_by("-read_at", "-id")
        .first()
    )
    if earlier is not None and hours < earlier.hours:
        message = _("小时数不能低于 %(date)s 的读数 %(hours)d 小时。") % {
            "date": timezone.localtime(earlier.read_at).date().isoformat(),
            "hours": earlier.hours,
        }
        raise DomainError(message, code="hours_decreased", fields={"hours": [message]})
    return hour_reading_record(
        machine=machine,
        hours=hours,
        source=HourReadingSource.SELLER,
        actor=actor,
        read_at=read_at,
        note=note,
    )
