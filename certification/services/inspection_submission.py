"""Submitting and correcting inspection reports.

Submitting grades the report, records the hour reading as verified, updates the machine's
grade and inspected flag, and reindexes its live listings, all in one transaction. Every
tradeable-equipment question answered "符合", every worksheet system rated, the running
gear's wear, every required photo angle are required. A meter reading lower than an earlier
reading of the machine (a rolled-back meter) blocks submission until the inspector writes
down why; the explanation is part of the report. A correction is a new draft version whose
``previous`` is the submitted report."""

import datetime as dt
from dataclasses import fields

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Permission
from certification.grading import GradeInputs, GradeResult, grade_for
from certification.inspection_templates import (
    NO,
    YES,
    InspectionTemplate,
    template_of,
)
from certification.lock_objects import inspection_report_lock
from certification.models import (
    RUNNING_GEAR_SYSTEMS,
    InspectionItem,
    InspectionPhoto,
    InspectionReport,
    ReportStatus,
)
from certification.numbering import REPORT_PREFIX, next_document_number
from certification.services.common import (
    ensure_independent,
    ensure_not_scrapped,
    machine_listings_changed,
    record_event,
    require_inspector,
)
from certification.services.inspection_drafts import ReportInput, _locked_draft
from certification.services.inspection_requests import R, _locked_request, _set_request_status
from core.errors import ConflictError, DomainError
from marketplace.lock_objects import machine_lock
from marketplace.models import HourMeterReading, HourReadingSource
from marketplace.services import hour_reading_record
from notifications.services import notification_send

# --- reports: submission --------------------------------------------------------------------


def report_grade_inputs(report: InspectionReport) -> GradeInputs:
    machine = report.machine
    items = list(report.items.all())
    running_gear = [i.wear_percent for i in items if i.system in RUNNING_GEAR_SYSTEMS]
    wear = max((w for w in running_gear if w is not None), default=None)
    return GradeInputs(
        age_years=(
            report.inspected_on.year - machine.year_of_manufacture
            if machine.year_of_manufacture
            else None
        ),
        hours=report.hour_meter_reading,
        wear_percent=wear,
        ratings={item.system: item.rating for item in items},
        major_accident=report.major_accident,
        parts_machine=report.is_parts_machine,
        cold_start=report.cold_start,
        functional_test=report.functional_test,
    )


def report_hour_rollback(report: InspectionReport) -> HourMeterReading | None:
    """The highest earlier reading of the machine above this report's meter reading (the
    meter was rolled back or replaced), or None."""
    if report.hour_meter_reading is None:
        return None
    return (
        HourMeterReading.objects.effective()
        .filter(
            machine_id=report.machine_id,
            hours__gt=report.hour_meter_reading,
            read_at__lte=_reading_time(report),
        )
        .order_by("-hours", "-read_at")
        .first()
    )


def _tradeable_missing(report: InspectionReport, template: InspectionTemplate) -> dict:
    errors: dict[str, list[str]] = {}
    answers = report.tradeable_checks or {}
    for check in template.tradeable_checks:
        if answers.get(check.key) == NO:
            errors[f"tradeable_{check.key}"] = [_("未通过可交易性核查，不能出具检测报告。")]
        elif answers.get(check.key) != YES:
            errors[f"tradeable_{check.key}"] = [_("请完成此项核查。")]
    return errors


def _photos_missing(report: InspectionReport, template: InspectionTemplate) -> dict:
    covered = {photo.angle or photo.system for photo in report.photos.all()}
    return {
        f"photo_{key}": [_("缺少必需的照片。")]
        for key in template.photo_required
        if key not in covered
    }


def report_missing_fields(report: InspectionReport) -> dict[str, list[str]]:
    """What still blocks submission, by field (empty when the report is complete)."""
    template = template_of(report)
    errors: dict[str, list[str]] = _tradeable_missing(report, template)
    if report.hour_meter_reading is None:
        errors["hour_meter_reading"] = [_("请填写小时表读数。")]
    elif not report.hour_meter_explanation.strip():
        earlier = report_hour_rollback(report)
        if earlier is not None:
            errors["hour_meter_explanation"] = [
                _(
                    "小时表读数低于 %(date)s 的记录（%(hours)s 小时），"
                    "请说明原因（如更换仪表）后再定级。"
                )
                % {"date": timezone.localtime(earlier.read_at).date(), "hours": earlier.hours}
            ]
    if not report.hour_meter_photo:
        errors["hour_meter_photo"] = [_("请上传小时表照片。")]
    if not report.serial_number_observed:
        errors["serial_number_observed"] = [_("请核对并填写出厂编号。")]
    elif report.serial_number_observed != report.machine.serial_number.strip().upper():
        errors["serial_number_observed"] = [_("现场出厂编号与设备档案不符。")]
    items = {item.system: item for item in report.items.all()}
    for system in template.systems:
        item = items.get(system)
        if item is None or not item.rating:
            errors[f"item_{system}"] = [_("请为该系统评级。")]
        elif system in RUNNING_GEAR_SYSTEMS and item.wear_percent is None:
            errors[f"item_{system}"] = [_("请填写磨损率。")]
    errors.update(_photos_missing(report, template))
    return errors


def _reading_time(report: InspectionReport) -> dt.datetime:
    if report.inspected_on == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(report.inspected_on, dt.time(12)))


@transaction.atomic
def inspection_report_submit(*, report: InspectionReport, actor: User) -> InspectionReport:
    machine = machine_lock(report.machine_id)  # machine before report (lock_objects)
    report = _locked_draft(report, actor)
    ensure_not_scrapped(machine)
    ensure_independent(certifier=report.certifier, machine=machine)
    report.machine = machine
    missing = report_missing_fields(report)
    if missing:
        raise DomainError(_("检测报告尚未填写完整。"), code="report_incomplete", fields=missing)
    result: GradeResult = grade_for(report_grade_inputs(report))
    now = timezone.now()
    report.grade = result.grade
    report.grade_reasons = result.reasons
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = now
    report.inspector = actor
    report.inspector_name = str(actor)[:150]
    report.number = next_document_number(prefix=REPORT_PREFIX, year=now.year)
    report.save(
        update_fields=[
            "grade",
            "grade_reasons",
            "status",
            "submitted_at",
            "inspector",
            "inspector_name",
            "number",
            "updated_at",
        ]
    )
    previous = report.previous
    if previous is None or previous.hour_meter_reading != report.hour_meter_reading:
        hour_reading_record(
            machine=machine,
            hours=report.hour_meter_reading,
            source=HourReadingSource.INSPECTION,
            actor=actor,
            read_at=_reading_time(report),
            note=report.number,
        )
    machine.condition_grade = report.grade
    machine.is_inspected = True
    machine.save(update_fields=["condition_grade", "is_inspected"])
    machine_listings_changed(machine)
    if report.request_id and report.request.status == R.ACCEPTED:
        _set_request_status(_locked_request(report.request, R.COMPLETED), R.COMPLETED, actor)
    record_event(action="report_submitted", actor=actor, report=report, note=report.grade)
    _notify_owner(report)
    return report


def _notify_owner(report: InspectionReport) -> None:
    recipient = report.request.requested_by if report.request_id else None
    if recipient is None:
        return
    notification_send(
        recipient=recipient,
        kind="inspection_report",
        title=lambda: _("检测报告 %(number)s 已出具") % {"number": report.number},
        body=lambda: _("成色等级：%(grade)s") % {"grade": report.grade},
        url=f"/certification/reports/{report.pk}/",
    )


@transaction.atomic
def inspection_report_correct(*, report: InspectionReport, actor: User) -> InspectionReport:
    """Start a correction: a new draft version copying the submitted report."""
    original = inspection_report_lock(report.pk)
    require_inspector(actor, original.certifier, Permission.INSPECTION_WRITE)
    if original.status != ReportStatus.SUBMITTED:
        raise ConflictError(_("只有已提交的报告可以更正。"), code="not_submitted")
    if InspectionReport.objects.filter(previous=original).exists():
        raise ConflictError(_("该报告已有更正版本。"), code="already_corrected")
    copy_names = [
        "machine_id",
        "certifier_id",
        "request_id",
        "template_key",
        "inspected_on",
        "hour_meter_photo",
        *(f.name for f in fields(ReportInput)),
    ]
    draft = InspectionReport(
        previous=original,
        version=original.version + 1,
        inspector=actor,
        **{name: getattr(original, name) for name in copy_names},
    )
    draft.save()
    InspectionItem.objects.bulk_create(
        InspectionItem(
            report=draft,
            system=i.system,
            rating=i.rating,
            wear_percent=i.wear_percent,
            comment=i.comment,
            defects=i.defects,
            position=i.position,
        )
        for i in original.items.all()
    )
    InspectionPhoto.objects.bulk_create(
        InspectionPhoto(
            report=draft, system=p.system, angle=p.angle, image=p.image.name, caption=p.caption
        )
        for p in original.photos.all()
    )
    record_event(
        action="report_correction_started", actor=actor, report=draft, note=original.number
    )
    return draft
