"""Inspection requests and reports.

Requests: requested → accepted → completed, or declined / cancelled (``REQUEST_TRANSITIONS``).
Reports: draft → submitted, nothing after; a correction is a new draft version whose
``previous`` is the submitted report. Submitting grades the report, records the hour reading as
verified, updates the machine's grade and inspected flag, and reindexes its live listings, all
in one transaction.

What a report must contain follows its template (:mod:`certification.inspection_templates`,
T/CSCMA 0004-2023): every tradeable-equipment question answered "符合", every worksheet system
rated, the running gear's wear, every required photo angle. A meter reading lower than an
earlier reading of the machine (a rolled-back meter) blocks submission until the inspector
writes down why; the explanation is part of the report.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, OrganizationKind, User
from accounts.permissions import Permission, require_org_permission, require_verified
from certification.grading import GradeInputs, GradeResult, grade_for
from certification.inspection_templates import (
    HOUR_METER_PHOTO,
    NO,
    YES,
    InspectionTemplate,
    template_for_machine,
    template_of,
)
from certification.lock_objects import inspection_report_lock, inspection_request_lock
from certification.models import (
    RUNNING_GEAR_SYSTEMS,
    FluidResult,
    InspectionItem,
    InspectionPhoto,
    InspectionReport,
    InspectionRequest,
    InspectionRequestStatus,
    ReportStatus,
    SystemRating,
    TestResult,
)
from certification.numbering import REPORT_PREFIX, next_document_number
from certification.services.common import (
    ensure_independent,
    ensure_not_scrapped,
    machine_listings_changed,
    record_event,
    require_inspector,
)
from core.errors import ConflictError, DomainError
from core.uploads import clean_image_upload
from marketplace.lock_objects import machine_lock
from marketplace.models import HourMeterReading, HourReadingSource, Machine
from marketplace.services import hour_reading_record
from notifications.services import notification_send

R = InspectionRequestStatus
REQUEST_TRANSITIONS: dict[str, set[str]] = {
    R.REQUESTED: {R.ACCEPTED, R.DECLINED, R.CANCELLED},
    R.ACCEPTED: {R.COMPLETED, R.CANCELLED},
    R.DECLINED: set(),
    R.CANCELLED: set(),
    R.COMPLETED: set(),
}


# --- requests -------------------------------------------------------------------------------


def _locked_request(request: InspectionRequest, to_status: str) -> InspectionRequest:
    locked = inspection_request_lock(request.pk)
    if to_status not in REQUEST_TRANSITIONS[locked.status]:
        raise ConflictError(
            _("检测申请当前状态为“%(s)s”，不能执行此操作。") % {"s": locked.get_status_display()},
            code="invalid_transition",
        )
    return locked


def _set_request_status(
    request: InspectionRequest, status: str, actor: User | None, note: str = "", **extra
) -> InspectionRequest:
    request.status = status
    for name, value in extra.items():
        setattr(request, name, value)
    request.save(update_fields=["status", "updated_at", *extra])
    record_event(action=f"request_{status}", actor=actor, note=note, request=request)
    return request


def can_request_inspection(user: User | None, organization: Organization, machine: Machine) -> bool:
    from accounts.permissions import has_org_permission

    return has_org_permission(user, organization, Permission.INSPECTION_REQUEST) and (
        machine.owner_id == organization.pk or machine.listings.live().exists()
    )


@transaction.atomic
def inspection_request_create(
    *,
    machine: Machine,
    requester: Organization,
    certifier: Organization,
    actor: User,
    note: str = "",
) -> InspectionRequest:
    """The owner (or a buyer, for a machine on sale) asks a certifier to inspect a machine."""
    require_org_permission(actor, requester, Permission.INSPECTION_REQUEST)
    machine = machine_lock(machine.pk)
    ensure_not_scrapped(machine)
    if machine.owner_id != requester.pk and not machine.listings.live().exists():
        raise ConflictError(_("只能为自有设备或在售设备申请检测。"), code="machine_not_available")
    if certifier.kind != OrganizationKind.CERTIFIER:
        raise DomainError(_("请选择一家认证检测机构。"), fields={"certifier": [_("无效的机构。")]})
    ensure_independent(certifier=certifier, machine=machine)
    try:
        with transaction.atomic():
            request = InspectionRequest.objects.create(
                machine=machine,
                requester=requester,
                requested_by=actor,
                certifier=certifier,
                note=note,
            )
    except IntegrityError as exc:
        raise ConflictError(
            _("该机构已有一个未完成的检测申请。"), code="request_already_open"
        ) from exc
    record_event(action="request_created", actor=actor, request=request)
    return request


@transaction.atomic
def inspection_request_accept(*, request: InspectionRequest, actor: User) -> InspectionReport:
    """The certifier accepts and gets a draft report to fill in."""
    request = _locked_request(request, R.ACCEPTED)
    require_inspector(actor, request.certifier, Permission.INSPECTION_WRITE)
    require_verified(request.certifier, _("机构完成实名认证后才能受理检测申请。"))
    _set_request_status(request, R.ACCEPTED, actor)
    report = inspection_report_start(
        machine=request.machine, certifier=request.certifier, actor=actor, request=request
    )
    if request.requested_by_id:
        notification_send(
            recipient=request.requested_by,
            kind="inspection_accepted",
            title=_("检测申请已受理"),
            body=_("%(org)s 已受理 %(machine)s 的检测申请。")
            % {"org": request.certifier.name, "machine": request.machine},
        )
    return report


@transaction.atomic
def inspection_request_decline(
    *, request: InspectionRequest, actor: User, reason: str
) -> InspectionRequest:
    request = _locked_request(request, R.DECLINED)
    require_inspector(actor, request.certifier, Permission.INSPECTION_WRITE)
    if not reason.strip():
        raise DomainError(_("请填写拒绝原因。"), fields={"reason": [_("请填写拒绝原因。")]})
    return _set_request_status(request, R.DECLINED, actor, reason, decline_reason=reason)


@transaction.atomic
def inspection_request_cancel(*, request: InspectionRequest, actor: User) -> InspectionRequest:
    request = _locked_request(request, R.CANCELLED)
    require_org_permission(actor, request.requester, Permission.INSPECTION_REQUEST)
    return _set_request_status(request, R.CANCELLED, actor)


# --- reports: drafts ------------------------------------------------------------------------


@transaction.atomic
def inspection_report_start(
    *,
    machine: Machine,
    certifier: Organization,
    actor: User,
    request: InspectionRequest | None = None,
) -> InspectionReport:
    """A new draft from the template of the machine's category root."""
    require_inspector(actor, certifier, Permission.INSPECTION_WRITE)
    ensure_not_scrapped(machine)
    ensure_independent(certifier=certifier, machine=machine)
    template = template_for_machine(machine)
    report = InspectionReport.objects.create(
        request=request,
        machine=machine,
        certifier=certifier,
        inspector=actor,
        template_key=template.key,
        serial_number_observed="",
    )
    InspectionItem.objects.bulk_create(
        InspectionItem(report=report, system=system, position=index)
        for index, system in enumerate(template.systems)
    )
    record_event(action="report_started", actor=actor, report=report)
    return report


def _locked_draft(report: InspectionReport, actor: User | None) -> InspectionReport:
    locked = inspection_report_lock(report.pk, related=("certifier", "machine"))
    require_inspector(actor, locked.certifier, Permission.INSPECTION_WRITE)
    if locked.status != ReportStatus.DRAFT:
        raise ConflictError(
            _("已提交的检测报告不能修改；如需更正请创建新版本。"), code="report_immutable"
        )
    return locked


@dataclass(frozen=True)
class ReportInput:
    inspected_on: dt.date
    location: str = ""
    plate_number: str = ""
    serial_number_observed: str = ""
    hour_meter_reading: int | None = None
    fire_damage: bool = False
    flood_damage: bool = False
    structural_accident: bool = False
    is_parts_machine: bool = False
    cold_start: str = ""
    functional_test: str = ""
    test_notes: str = ""
    engine_oil_sample: str = ""
    hydraulic_oil_sample: str = ""
    coolant_sample: str = ""
    fluid_notes: str = ""
    summary: str = ""
    hour_meter_explanation: str = ""
    tradeable_checks: Mapping[str, str] | None = None
    accident_checks: Mapping[str, bool] | None = None


def _validate_checks(data: ReportInput, template: InspectionTemplate) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    tradeable_keys = {check.key for check in template.tradeable_checks}
    for key, answer in (data.tradeable_checks or {}).items():
        if key not in tradeable_keys or answer not in ("", YES, NO):
            errors[f"tradeable_{key}"] = [_("无效的选项。")]
    accident_keys = {check.key for check in template.accident_checks}
    for key, answer in (data.accident_checks or {}).items():
        if key not in accident_keys or not isinstance(answer, bool):
            errors[f"accident_{key}"] = [_("无效的选项。")]
    return errors


def _validate_report_input(data: ReportInput, template: InspectionTemplate) -> None:
    errors: dict[str, list[str]] = _validate_checks(data, template)
    if data.inspected_on > timezone.localdate():
        errors["inspected_on"] = [_("检测日期不能晚于今天。")]
    if data.hour_meter_reading is not None and data.hour_meter_reading < 0:
        errors["hour_meter_reading"] = [_("小时数不能为负数。")]
    for name in ("cold_start", "functional_test"):
        if getattr(data, name) not in TestResult.values:
            errors[name] = [_("无效的选项。")]
    for name in ("engine_oil_sample", "hydraulic_oil_sample", "coolant_sample"):
        if getattr(data, name) not in FluidResult.values:
            errors[name] = [_("无效的选项。")]
    if errors:
        raise DomainError(_("请检查填写的内容。"), fields=errors)


@transaction.atomic
def inspection_report_update(
    *, report: InspectionReport, actor: User, data: ReportInput
) -> InspectionReport:
    """Save the draft's header fields (drafts may be incomplete)."""
    report = _locked_draft(report, actor)
    template = template_of(report)
    _validate_report_input(data, template)
    names = [f.name for f in fields(ReportInput)]
    for name in names:
        setattr(report, name, getattr(data, name))
    report.serial_number_observed = data.serial_number_observed.strip().upper()
    report.hour_meter_explanation = data.hour_meter_explanation.strip()
    answers = data.tradeable_checks or {}
    report.tradeable_checks = {
        c.key: answers[c.key] for c in template.tradeable_checks if answers.get(c.key)
    }
    accidents = data.accident_checks or {}
    report.accident_checks = {c.key: bool(accidents.get(c.key)) for c in template.accident_checks}
    report.save(update_fields=[*names, "updated_at"])
    return report


@transaction.atomic
def inspection_item_set(
    *,
    report: InspectionReport,
    actor: User,
    system: str,
    rating: str,
    wear_percent: Decimal | None = None,
    comment: str = "",
    defects: Sequence[str] = (),
) -> InspectionItem:
    """Record one worksheet line: rating, wear (running gear only), defective checkpoints."""
    report = _locked_draft(report, actor)
    item = report.items.filter(system=system).first()
    entry = template_of(report).worksheet_for(system)
    if item is None or entry is None:
        raise DomainError(_("该检测模板不包含此系统。"), code="unknown_system")
    errors: dict[str, list[str]] = {}
    known = [c.key for c in entry.checkpoints]
    if any(key not in known for key in defects):
        errors["defects"] = [_("无效的检查项。")]
    elif defects and rating == SystemRating.GOOD:
        errors["rating"] = [_("已勾选缺陷的系统不能评为“良好”。")]
    if rating and rating not in SystemRating.values:
        errors["rating"] = [_("无效的评级。")]
    if wear_percent is not None and not (Decimal(0) <= wear_percent <= Decimal(100)):
        errors["wear_percent"] = [_("磨损率应在 0 到 100 之间。")]
    if wear_percent is not None and system not in RUNNING_GEAR_SYSTEMS:
        errors["wear_percent"] = [_("只有底盘或轮胎需要填写磨损率。")]
    if errors:
        raise DomainError(_("请检查填写的内容。"), fields=errors)
    item.rating = rating
    item.wear_percent = wear_percent
    item.comment = comment
    item.defects = [key for key in known if key in defects]
    item.save(update_fields=["rating", "wear_percent", "comment", "defects"])
    return item


@transaction.atomic
def inspection_photo_add(
    *,
    report: InspectionReport,
    actor: User,
    upload: UploadedFile,
    system: str = "",
    caption: str = "",
    angle: str = "",
) -> InspectionPhoto | None:
    """Attach a photo (validated by content) for one of the required angles of its template,
    or of a ``system``, or general; ``"hour_meter"`` (as angle or system) sets the meter photo.
    A ``system`` that is also an angle key of the template counts as that angle."""
    report = _locked_draft(report, actor)
    template = template_of(report)
    if not angle and system in template.photo_required:
        angle = system
    if angle and angle != HOUR_METER_PHOTO:
        spec = template.angle(angle)
        if spec is None:
            raise DomainError(
                _("该检测模板不包含此拍摄角度。"),
                code="unknown_angle",
                fields={"angle": [_("无效的拍摄角度。")]},
            )
        system = spec.system
    try:
        clean = clean_image_upload(upload)
    except ValidationError as exc:
        raise DomainError(
            exc.messages[0], code="invalid_image", fields={"image": exc.messages}
        ) from exc
    if HOUR_METER_PHOTO in (system, angle):
        report.hour_meter_photo.save(clean.content.name, clean.content, save=False)
        report.save(update_fields=["hour_meter_photo", "updated_at"])
        return None
    if system and not report.items.filter(system=system).exists():
        raise DomainError(_("该检测模板不包含此系统。"), code="unknown_system")
    photo = InspectionPhoto(report=report, system=system, angle=angle, caption=caption)
    photo.image.save(clean.content.name, clean.content, save=False)
    photo.save()
    return photo


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
        title=_("检测报告 %(number)s 已出具") % {"number": report.number},
        body=_("成色等级：%(grade)s") % {"grade": report.grade},
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
