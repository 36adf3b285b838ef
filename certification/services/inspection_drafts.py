"""Draft inspection reports: starting one, editing its fields, worksheet items and photos.

What a report must contain follows its template (:mod:`certification.inspection_templates`,
T/CSCMA 0004-2023); the checks here refuse malformed input, the completeness check is
submission's (:mod:`.inspection_submission`)."""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.permissions import Permission
from certification.inspection_templates import (
    HOUR_METER_PHOTO,
    NO,
    YES,
    InspectionTemplate,
    template_for_machine,
    template_of,
)
from certification.lock_objects import inspection_report_lock
from certification.models import (
    RUNNING_GEAR_SYSTEMS,
    FluidResult,
    InspectionItem,
    InspectionPhoto,
    InspectionReport,
    InspectionRequest,
    ReportStatus,
    SystemRating,
    TestResult,
)
from certification.services.common import (
    ensure_independent,
    ensure_not_scrapped,
    record_event,
    require_inspector,
)
from core.errors import ConflictError, DomainError
from core.uploads import clean_image_upload
from marketplace.models import Machine

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
