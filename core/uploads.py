"""Upload validation by content, never by file name.

Images are opened with Pillow, checked against an allow-list of real formats and a size
limit, and re-encoded so EXIF (GPS position, camera serial) never reaches the public site.
PDFs must parse with pypdf and carry no active content (scripts, launch actions, embedded
files, rich media, XFA forms). Whatever is accepted gets a random name and an extension
chosen from the detected type: the uploader's file name never reaches the storage.
"""

import io
import logging
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

logger = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
ALLOWED_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PDF_MAGIC = b"%PDF-"
# Dictionary keys that make a PDF do something when opened or clicked (PDF 32000-1 §12.6,
# §7.11.4, §12.7.8) or carry another file inside it.
PDF_ACTIVE_KEYS = frozenset(
    {"/JavaScript", "/JS", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia"}
    | {"/XFA"}
)
# Action types (/S) and object types (/Type) refused wherever they appear, /OpenAction included.
PDF_ACTIVE_NAMES = frozenset(
    {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute", "/EmbeddedFile", "/Rendition"}
)
PDF_MAX_OBJECTS = 200_000


def random_file_name(extension: str) -> str:
    """A name for stored content: random, with the extension of the detected type."""
    return f"{secrets.token_urlsafe(12)}.{extension}"


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    width: int
    height: int
    format: str


@dataclass(frozen=True)
class CleanDocument:
    """Accepted document content, named by the server: ``kind`` is "pdf" or "image"."""

    content: ContentFile
    kind: str
    extension: str


def _refuse_too_large(upload: UploadedFile, max_bytes: int, message: str) -> None:
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(message % {"mb": max_bytes // (1024 * 1024)}, code="too_large")


def clean_image_upload(upload: UploadedFile, *, max_bytes: int = MAX_IMAGE_BYTES) -> CleanImage:
    """Validate an uploaded image and return a re-encoded copy without metadata."""
    _refuse_too_large(upload, max_bytes, _("图片不能超过 %(mb)d MB。"))
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
    content = ContentFile(buffer.getvalue(), name=random_file_name(extension))
    return CleanImage(content, image.width, image.height, image_format)


def _pdf_active_content(reader: PdfReader) -> str | None:
    """The first active-content marker reachable from the trailer, or None.

    Every object reachable from the trailer is visited once (object streams included), so a
    script hidden behind indirect references or in a compressed object is still found.
    """
    stack: list = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > PDF_MAX_OBJECTS:
            return "too_many_objects"
        if isinstance(node, DictionaryObject):
            for key, value in node.items():
                if key in PDF_ACTIVE_KEYS:
                    return str(key)
                named = key in ("/S", "/Type", "/Subtype") and isinstance(value, NameObject)
                if named and value in PDF_ACTIVE_NAMES:
                    return str(value)
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return None


def clean_pdf_upload(upload: UploadedFile) -> ContentFile:
    """Accept a PDF only if it parses and has no active content; the bytes are kept as sent.

    pypdf is lenient with the small defects scanners produce but cannot build a document out
    of text that merely starts with ``%PDF-``.
    """
    invalid = ValidationError(_("文件不是有效的 PDF。"), code="invalid_pdf")
    upload.seek(0)
    raw = upload.read()
    if not raw.startswith(PDF_MAGIC):
        raise invalid
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise ValidationError(_("不接受加密的 PDF。"), code="encrypted_pdf")
        if "/Root" not in reader.trailer or len(reader.pages) < 1:
            raise invalid
        marker = _pdf_active_content(reader)
    except ValidationError:
        raise
    except Exception as exc:  # any parser failure on hostile input is a refusal
        logger.info("PDF upload refused: %s", exc)
        raise invalid from exc
    if marker is not None:
        raise ValidationError(
            _("PDF 含有脚本、附件或其他可执行内容，不能接受。"), code="active_pdf"
        )
    return ContentFile(raw, name=random_file_name("pdf"))


def clean_document_upload(
    upload: UploadedFile, *, max_bytes: int = MAX_DOCUMENT_BYTES
) -> CleanDocument:
    """Accept a PDF (parsed, without active content) or an image (re-encoded)."""
    _refuse_too_large(upload, max_bytes, _("文件不能超过 %(mb)d MB。"))
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head == PDF_MAGIC:
        return CleanDocument(clean_pdf_upload(upload), "pdf", "pdf")
    try:
        image = clean_image_upload(upload, max_bytes=max_bytes)
    except ValidationError as exc:
        if exc.code != "invalid_image":
            raise
        raise ValidationError(
            _("文件必须是 PDF 或图片（JPEG、PNG、WebP）。"), code="invalid_document"
        ) from exc
    return CleanDocument(image.content, "image", ALLOWED_IMAGE_FORMATS[image.format])
