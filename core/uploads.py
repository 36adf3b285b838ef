"""Upload validation by content, never by file name.

Images are opened with Pillow, checked against an allow-list of real formats and a size
limit, and re-encoded so EXIF (GPS position, camera serial) never reaches the public site.
"""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
ALLOWED_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    width: int
    height: int
    format: str


def clean_image_upload(upload: UploadedFile, *, max_bytes: int = MAX_IMAGE_BYTES) -> CleanImage:
    """Validate an uploaded image and return a re-encoded copy without metadata."""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("图片不能超过 %(mb)d MB。") % {"mb": max_bytes // (1024 * 1024)}, code="too_large"
        )
    upload.seek(0)
    raw = upload.read()
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(raw))
        image_format = image.format
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise ValidationError(_("图片像素过大。"), code="too_many_pixels")
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("文件不是有效的图片（仅支持 JPEG、PNG、WebP）。"), code="invalid_image"
        ) from exc
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            _("文件不是有效的图片（仅支持 JPEG、PNG、WebP）。"), code="invalid_image"
        )
    extension = ALLOWED_IMAGE_FORMATS[image_format]
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(buffer, format="JPEG", quality=88, optimize=True)
    else:
        # Re-encoding drops EXIF/XMP chunks because no `exif=` is passed.
        image.save(buffer, format=image_format)
    name = (upload.name or "upload").rsplit(".", 1)[0][:80] + "." + extension
    return CleanImage(
        ContentFile(buffer.getvalue(), name=name), image.width, image.height, image_format
    )


def clean_document_upload(upload: UploadedFile, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> str:
    """Accept a PDF (by its magic bytes) or an image; return the detected kind."""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("文件不能超过 %(mb)d MB。") % {"mb": max_bytes // (1024 * 1024)}, code="too_large"
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(PDF_MAGIC):
        return "pdf"
    clean_image_upload(upload, max_bytes=max_bytes)
    upload.seek(0)
    return "image"
