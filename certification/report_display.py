"""A report's template answers as labelled rows for its pages and PDF (keys never shown)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from certification.inspection_templates import NO, YES, InspectionTemplate, template_of
from certification.models import InspectionReport


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    flagged: bool = False


@dataclass(frozen=True)
class WorksheetRow:
    label: str
    rating: str
    wear: object
    defects: list[str]
    comment: str


def _tradeable_rows(report: InspectionReport, template: InspectionTemplate) -> list[Row]:
    answers = report.tradeable_checks or {}
    names = {YES: _("符合"), NO: _("不符合")}
    return [
        Row(str(c.label), names.get(answers.get(c.key, ""), "—"), answers.get(c.key) == NO)
        for c in template.tradeable_checks
    ]


def _accident_rows(report: InspectionReport, template: InspectionTemplate) -> list[Row]:
    yes, no = _("有"), _("无")
    answers = report.accident_checks or {}
    rows = [
        Row(_("火烧痕迹"), yes if report.fire_damage else no, report.fire_damage),
        Row(_("水淹痕迹"), yes if report.flood_damage else no, report.flood_damage),
        Row(
            _("重大结构性事故"),
            yes if report.structural_accident else no,
            report.structural_accident,
        ),
    ]
    rows += [
        Row(str(c.label), yes if answers.get(c.key) else no, bool(answers.get(c.key)))
        for c in template.accident_checks
    ]
    rows.append(
        Row(
            _("仅具拆件价值"),
            _("是") if report.is_parts_machine else _("否"),
            report.is_parts_machine,
        )
    )
    return rows


def _worksheet_rows(report: InspectionReport, template: InspectionTemplate) -> list[WorksheetRow]:
    rows = []
    for item in report.items.all():
        entry = template.worksheet_for(item.system)
        rows.append(
            WorksheetRow(
                label=template.system_label(item.system),
                rating=item.get_rating_display() or "—",
                wear=item.wear_percent,
                defects=[entry.checkpoint_label(k) if entry else k for k in item.defects],
                comment=item.comment,
            )
        )
    return rows


def photo_label(template: InspectionTemplate, photo) -> str:
    if photo.angle:
        base = template.angle_label(photo.angle)
    else:
        base = template.system_label(photo.system) if photo.system else _("补充照片")
    return " · ".join(filter(None, [str(base), photo.caption]))


def report_display(report: InspectionReport) -> dict:
    template = template_of(report)
    return {
        "template_label": str(template.label),
        "tradeable": _tradeable_rows(report, template),
        "accidents": _accident_rows(report, template),
        "worksheet": _worksheet_rows(report, template),
        "photos": [(photo, photo_label(template, photo)) for photo in report.photos.all()],
    }


def report_field_labels(template: InspectionTemplate) -> dict[str, str]:
    """Names of what a refusal may point at outside the header form (worksheet, photos)."""
    labels = {
        "hour_meter_photo": _("小时表照片"),
        "angle": _("拍摄角度"),
        "defects": _("发现的缺陷"),
    }
    for entry in template.worksheet:
        labels[f"item_{entry.system}"] = _("技术状况：%(system)s") % {"system": entry.label}
    for angle in template.photo_angles:
        labels[f"photo_{angle.key}"] = _("照片：%(angle)s") % {"angle": angle.label}
    for check in template.tradeable_checks:
        labels[f"tradeable_{check.key}"] = _("可交易性核查：%(check)s") % {"check": check.label}
    return labels
