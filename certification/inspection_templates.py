"""Inspection templates per machine type, in the structure of T/CSCMA 0004-2023.

A template is the appraisal's fixed parts, in the order the standard prescribes:

1. the tradeable-equipment check (可交易性核查): identity, documents, ownership and legal
   status; every question must be answered "符合" before a report can be issued;
2. the major-accident screen (重大事故排查): fire, flood and structural accident (columns of
   the report, common to all types) plus the type's own questions; any "yes" makes the
   machine a major-accident machine, graded E by :mod:`certification.grading`;
3. the technical-condition worksheet (技术状况表): the systems rated for this type, each with
   the checkpoints an inspector looks at (a ticked checkpoint is a recorded defect); the
   running gear (undercarriage or tyres) also records its wear in percent;
4. the required photo angles (the hour-meter photo is always required on top of these).

Labels are translatable texts; the internal keys are stored on the report and never shown.
The data lives in :mod:`certification.inspection_checklists`; this module assembles it and
chooses a machine's template from its category (leaf first, then root). A category not listed
falls back on "other tracked machine" when its slug mentions tracks/crawlers, else "other
wheeled machine" (the keys ``tracked`` / ``wheeled`` of the first templates, so reports started
with them stay readable).
"""

from dataclasses import dataclass

from certification import inspection_checklists as data
from certification.inspection_checklists import Check
from certification.models import System

HOUR_METER_PHOTO = "hour_meter"
YES, NO = "yes", "no"  # answers to a tradeable-equipment question (符合 / 不符合)


@dataclass(frozen=True)
class WorksheetSystem:
    system: str
    label: str
    checkpoints: tuple[Check, ...]

    @property
    def records_wear(self) -> bool:
        return self.system in (System.UNDERCARRIAGE, System.TYRES)

    def checkpoint_label(self, key: str) -> str:
        return next((c.label for c in self.checkpoints if c.key == key), key)


@dataclass(frozen=True)
class PhotoAngle:
    key: str
    label: str
    system: str = ""  # the system this photo documents, if any


@dataclass(frozen=True)
class InspectionTemplate:
    key: str
    label: str
    tradeable_checks: tuple[Check, ...]
    accident_checks: tuple[Check, ...]
    worksheet: tuple[WorksheetSystem, ...]
    photo_angles: tuple[PhotoAngle, ...]

    @property
    def systems(self) -> tuple[str, ...]:
        return tuple(entry.system for entry in self.worksheet)

    @property
    def photo_required(self) -> tuple[str, ...]:
        return tuple(angle.key for angle in self.photo_angles)

    @property
    def running_gear(self) -> str:
        return System.UNDERCARRIAGE if System.UNDERCARRIAGE in self.systems else System.TYRES

    def worksheet_for(self, system: str) -> WorksheetSystem | None:
        return next((entry for entry in self.worksheet if entry.system == system), None)

    def system_label(self, system: str) -> str:
        entry = self.worksheet_for(system)
        return entry.label if entry else str(dict(System.choices).get(system, system))

    def angle(self, key: str) -> PhotoAngle | None:
        return next((angle for angle in self.photo_angles if angle.key == key), None)

    def angle_label(self, key: str) -> str:
        if key == HOUR_METER_PHOTO:
            return str(data.HOUR_METER_LABEL)
        angle = self.angle(key)
        return angle.label if angle else self.system_label(key)

    def tradeable_label(self, key: str) -> str:
        return next((c.label for c in self.tradeable_checks if c.key == key), key)

    def accident_label(self, key: str) -> str:
        return next((c.label for c in self.accident_checks if c.key == key), key)


def _angles(*keys: str) -> tuple[PhotoAngle, ...]:
    return tuple(PhotoAngle(key, *data.PHOTO_ANGLES[key]) for key in keys)


def _build(spec: data.TemplateSpec) -> InspectionTemplate:
    return InspectionTemplate(
        key=spec.key,
        label=spec.label,
        tradeable_checks=(*data.TRADEABLE_COMMON, *spec.tradeable_extra),
        accident_checks=(*data.ACCIDENT_COMMON, *spec.accident_extra),
        worksheet=tuple(
            WorksheetSystem(
                system=system,
                label=spec.system_labels.get(system, data.SYSTEM_LABELS[system]),
                checkpoints=spec.checkpoints.get(system, data.CHECKPOINTS[system]),
            )
            for system in spec.systems
        ),
        photo_angles=_angles(*spec.photo_angles),
    )


TEMPLATES: dict[str, InspectionTemplate] = {spec.key: _build(spec) for spec in data.TEMPLATE_SPECS}

# Category slug (leaf or root) -> template key; the leaf wins.
CATEGORY_TEMPLATES = {
    "excavator": "excavator",
    "excavators": "excavator",
    "wheel-loader": "wheel_loader",
    "wheel-loaders": "wheel_loader",
    "loader": "wheel_loader",
    "crane": "crane",
    "cranes": "crane",
    "truck-crane": "crane",
    "crane-truck": "crane",
    "crane-all-terrain": "crane",
    "crawler-crane": "crane_crawler",
    "crane-crawler": "crane_crawler",
    "dozer": "dozer",
    "dozers": "dozer",
    "roller": "roller",
    "rollers": "roller",
    "rotary-drilling-rig": "tracked",
    "rotary-drill": "tracked",
    "grader": "wheeled",
    "concrete-pump": "wheeled",
    "mixer-truck": "wheeled",
    "forklift": "wheeled",
    "aerial-work-platform": "wheeled",
    "backhoe-loader": "wheeled",
    "skid-steer": "wheeled",
}
_TRACKED_HINTS = ("excavat", "dozer", "crawler", "track", "drill")


def template_key_for_category_slug(root_slug: str, leaf_slug: str = "") -> str:
    if leaf_slug in CATEGORY_TEMPLATES:
        return CATEGORY_TEMPLATES[leaf_slug]
    if root_slug in CATEGORY_TEMPLATES:
        return CATEGORY_TEMPLATES[root_slug]
    return "tracked" if any(hint in root_slug for hint in _TRACKED_HINTS) else "wheeled"


def template_for_machine(machine) -> InspectionTemplate:
    category = machine.category
    return TEMPLATES[template_key_for_category_slug(category.root.slug, category.slug)]


def template_of(report) -> InspectionTemplate:
    """The report's template (by the key stored when the draft was started)."""
    return TEMPLATES.get(report.template_key) or TEMPLATES["tracked"]
