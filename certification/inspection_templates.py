"""Inspection templates per category root: which systems are rated and which need a photo.

Tracked machines (excavators, dozers, crawler cranes, drilling rigs) have an undercarriage;
wheeled ones (loaders, truck cranes, rollers, graders, trucks) have tyres. A category root not
listed falls back on the tracked template when its slug mentions tracks/crawlers, else tyres.
"""

from dataclasses import dataclass

from certification.models import System

HOUR_METER_PHOTO = "hour_meter"


@dataclass(frozen=True)
class InspectionTemplate:
    key: str
    systems: tuple[str, ...]
    photo_required: tuple[str, ...]

    @property
    def running_gear(self) -> str:
        return System.UNDERCARRIAGE if System.UNDERCARRIAGE in self.systems else System.TYRES


_COMMON_HEAD = (System.ENGINE, System.HYDRAULICS)
_COMMON_TAIL = (System.STRUCTURE, System.ELECTRICAL, System.CAB, System.ATTACHMENTS)

TRACKED = InspectionTemplate(
    key="tracked",
    systems=(*_COMMON_HEAD, System.UNDERCARRIAGE, *_COMMON_TAIL),
    photo_required=(System.ENGINE, System.UNDERCARRIAGE, System.STRUCTURE, System.CAB),
)
WHEELED = InspectionTemplate(
    key="wheeled",
    systems=(*_COMMON_HEAD, System.TYRES, *_COMMON_TAIL),
    photo_required=(System.ENGINE, System.TYRES, System.STRUCTURE, System.CAB),
)
TEMPLATES = {template.key: template for template in (TRACKED, WHEELED)}

# Category root slug -> template key.
CATEGORY_TEMPLATES = {
    "excavator": "tracked",
    "excavators": "tracked",
    "dozer": "tracked",
    "dozers": "tracked",
    "crawler-crane": "tracked",
    "rotary-drilling-rig": "tracked",
    "rotary-drill": "tracked",
    "wheel-loader": "wheeled",
    "wheel-loaders": "wheeled",
    "loader": "wheeled",
    "crane": "wheeled",
    "cranes": "wheeled",
    "truck-crane": "wheeled",
    "roller": "wheeled",
    "grader": "wheeled",
    "concrete-pump": "wheeled",
    "mixer-truck": "wheeled",
    "forklift": "wheeled",
    "aerial-work-platform": "wheeled",
}
_TRACKED_HINTS = ("excavat", "dozer", "crawler", "track", "drill")


def template_key_for_category_slug(root_slug: str) -> str:
    if root_slug in CATEGORY_TEMPLATES:
        return CATEGORY_TEMPLATES[root_slug]
    return "tracked" if any(hint in root_slug for hint in _TRACKED_HINTS) else "wheeled"


def template_for_machine(machine) -> InspectionTemplate:
    return TEMPLATES[template_key_for_category_slug(machine.category.root.slug)]
