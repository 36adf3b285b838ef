"""Listing photos: added under the listing lock, files deleted with a rolled-back transaction."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Permission, require_org_permission
from core.errors import ConflictError, DomainError
from core.storage import save_deleted_on_rollback
from core.uploads import clean_image_upload
from marketplace.events import listing_changed
from marketplace.lock_objects import listing_lock
from marketplace.models import LIVE_STATUSES, REQUIRED_PHOTO_KINDS, Listing, ListingPhoto
from marketplace.photo_set import PhotoSetError
from marketplace.services.predicates import S

MAX_PHOTOS_PER_LISTING = 30


@transaction.atomic
def listing_photo_add(
    *, listing: Listing, actor: User, upload: UploadedFile, kind: str = "other"
) -> ListingPhoto:
    listing = listing_lock(listing.pk)
    require_org_permission(actor, listing.seller, Permission.LISTING_MANAGE)
    if listing.status in {S.SOLD}:
        raise ConflictError(_("已售出的挂牌不能再添加照片。"))
    if listing.photos.count() >= MAX_PHOTOS_PER_LISTING:
        raise ConflictError(_("每个挂牌最多 %(n)d 张照片。") % {"n": MAX_PHOTOS_PER_LISTING})
    try:
        clean = clean_image_upload(upload)
    except ValidationError as exc:
        raise DomainError(
            exc.messages[0], code="invalid_image", fields={"image": exc.messages}
        ) from exc
    position = listing.photos.count()
    photo = ListingPhoto(listing=listing, kind=kind, position=position)
    # A batch refused later (or any rollback) takes the file with it (core.storage).
    save_deleted_on_rollback(photo.image, clean.content.name, clean.content)
    photo.save()
    listing_changed(listing.pk)
    return photo


@transaction.atomic
def listing_photo_delete(*, photo: ListingPhoto, actor: User) -> None:
    """Delete a photo and its file. A live listing (submitted, published, reserved) keeps its
    required photo set: the last photo of a required kind can only be replaced (upload the
    new one first), not removed."""
    require_org_permission(actor, photo.listing.seller, Permission.LISTING_MANAGE)
    listing = listing_lock(photo.listing_id)
    listing_id = photo.listing_id
    if (
        listing.status in LIVE_STATUSES
        and photo.kind in REQUIRED_PHOTO_KINDS
        and not listing.photos.filter(kind=photo.kind).exclude(pk=photo.pk).exists()
    ):
        raise ConflictError(
            _("“%(kind)s”是必需的照片，挂牌在审核或在售期间不能删除最后一张；请先上传替换的照片。")
            % {"kind": photo.get_kind_display()},
            code=PhotoSetError.REQUIRED_PHOTO_KEPT.value,
        )
    photo.image.delete(save=False)
    photo.delete()
    listing_changed(listing_id)
