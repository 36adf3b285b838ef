"""PDF rendering with WeasyPrint, and the images PDFs embed (QR codes, photos).

Chinese text needs a CJK font on the host: templates ask for ``"Noto Sans CJK SC"``
(Debian/Ubuntu ``fonts-noto-cjk``; ``make system-deps`` installs it). Every app renders its
PDFs here (verifiable documents, lease contracts, the payment notice, the listing sheet).
"""

import base64
import io

import qrcode
from django.conf import settings
from django.template.loader import render_to_string
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_MAX_PX = 800  # longest side of a photo in a PDF: sharp on A4, a few hundred kB at most


def qr_data_uri(url: str) -> str:
    """A PNG QR code of ``url`` as a data URI, embedded so the PDF needs no network."""
    image = qrcode.make(url, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def image_data_uri(field_file) -> str:
    """A stored photo, upright and scaled to ``PHOTO_MAX_PX``, as a JPEG data URI; "" when
    the file is missing or not an image, so one bad upload does not break the document."""
    try:
        with field_file.open("rb") as handle:
            image = Image.open(handle)
            image.load()
    except (OSError, ValueError, UnidentifiedImageError):
        return ""
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((PHOTO_MAX_PX, PHOTO_MAX_PX))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported lazily: heavy, and only PDF views need it

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
