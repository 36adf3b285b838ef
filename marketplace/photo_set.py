"""The required photo set: what a listing must show before it goes to moderation.

The trading guide promises buyers all four sides, the hour meter, the cab and the
undercarriage or tyres (``REQUIRED_PHOTO_KINDS``). Submitting asks :func:`require_photo_set`;
the seller's pages show :func:`photo_checklist`; deleting the last photo of a required kind
from a live listing is refused (marketplace.services.photos), so a published listing keeps
its set.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from core.errors import DomainError
from marketplace.models import REQUIRED_PHOTO_KINDS, Listing, PhotoKind


class PhotoSetError(StrEnum):
    MISSING = "photos_missing"
    REQUIRED_PHOTO_KEPT = "required_photo_kept"


@dataclass(frozen=True)
class ChecklistItem:
    kind: PhotoKind
    label: str
    count: int

    @property
    def is_present(self) -> bool:
        return self.count > 0


def missing_photo_kinds(present: Iterable[str]) -> list[PhotoKind]:
    """The required kinds not among ``present``, in the checklist's order."""
    have = set(present)
    return [kind for kind in REQUIRED_PHOTO_KINDS if kind not in have]


def _kinds_of(listing: Listing) -> list[str]:
    # Reads the prefetched photos when the caller loaded them (the listing pages do).
    return [photo.kind for photo in listing.photos.all()]


def photo_checklist(listing: Listing) -> list[ChecklistItem]:
    kinds = _kinds_of(listing)
    return [
        ChecklistItem(kind=kind, label=str(kind.label), count=kinds.count(kind))
        for kind in REQUIRED_PHOTO_KINDS
    ]


def require_photo_set(listing: Listing) -> None:
    """Refuse (DomainError ``photos_missing``, one field message per missing kind) unless
    the listing has a photo of every required kind."""
    missing = missing_photo_kinds(listing.photos.values_list("kind", flat=True))
    if not missing:
        return
    labels = _("、").join(str(kind.label) for kind in missing)
    raise DomainError(
        _("提交前请补齐必需的照片，还缺：%(kinds)s。") % {"kinds": labels},
        code=PhotoSetError.MISSING.value,
        fields={"photos": [_("缺少“%(kind)s”照片。") % {"kind": kind.label} for kind in missing]},
    )
