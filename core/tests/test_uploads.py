"""Uploads are validated by content, and metadata never survives re-encoding."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from core.tests.documents import (
    ACTIVE_PDF_KINDS,
    disguised_html,
    pdf_bytes,
    pdf_upload,
    pdf_with,
    pdf_with_harmless_open_action,
    svg_upload,
)
from core.tests.images import jpeg_with_exif_upload, png_upload, text_renamed_as_jpeg
from core.uploads import clean_document_upload, clean_image_upload


def test_renamed_text_file_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        clean_image_upload(text_renamed_as_jpeg())
    assert excinfo.value.code == "invalid_image"


def test_real_png_is_accepted():
    clean = clean_image_upload(png_upload("side.png", size=(40, 30)))
    assert (clean.format, clean.width, clean.height) == ("PNG", 40, 30)
    assert clean.content.name.endswith(".png")
    assert "side" not in clean.content.name


def test_jpeg_exif_is_stripped():
    upload = jpeg_with_exif_upload()
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif()[0x010F] == "TestCam"
    upload.seek(0)
    clean = clean_image_upload(upload)
    with Image.open(io.BytesIO(clean.content.read())) as stored:
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info


def test_extension_follows_content_not_name():
    clean = clean_image_upload(png_upload("disguised.jpg"))
    assert re.fullmatch(r"[A-Za-z0-9_-]{16}\.png", clean.content.name)


def test_too_large_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        clean_image_upload(png_upload(), max_bytes=10)
    assert excinfo.value.code == "too_large"


def test_gif_is_not_an_allowed_format():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="GIF")
    with pytest.raises(ValidationError) as excinfo:
        clean_image_upload(SimpleUploadedFile("a.gif", buffer.getvalue()))
    assert excinfo.value.code == "invalid_image"


def test_document_accepts_a_real_pdf_under_a_random_pdf_name():
    clean = clean_document_upload(pdf_upload("营业执照.html"))
    assert (clean.kind, clean.extension) == ("pdf", "pdf")
    assert re.fullmatch(r"[A-Za-z0-9_-]{16}\.pdf", clean.content.name)
    assert clean.content.read() == pdf_bytes()


def test_document_image_is_reencoded_and_named_by_type():
    clean = clean_document_upload(png_upload("licence.html"))
    assert (clean.kind, clean.extension) == ("image", "png")
    assert clean.content.name.endswith(".png")


def test_pdf_with_an_open_action_that_only_goes_to_a_page_is_accepted():
    clean = clean_document_upload(pdf_upload(data=pdf_with_harmless_open_action()))
    assert clean.kind == "pdf"


@pytest.mark.parametrize("active", ACTIVE_PDF_KINDS)
def test_pdf_with_active_content_is_refused(active):
    with pytest.raises(ValidationError) as excinfo:
        clean_document_upload(pdf_upload(data=pdf_with(active)))
    assert excinfo.value.code == "active_pdf"
    assert excinfo.value.messages == ["PDF 含有脚本、附件或其他可执行内容，不能接受。"]


@pytest.mark.parametrize(
    "upload",
    [
        disguised_html(),
        SimpleUploadedFile("r.pdf", b"%PDF-1.7\n..."),
        SimpleUploadedFile("r.pdf", b"%PDF-" + b"\x00" * 100),
    ],
    ids=["html-behind-pdf-magic", "magic-only", "magic-and-zeros"],
)
def test_text_behind_pdf_magic_is_refused(upload):
    with pytest.raises(ValidationError) as excinfo:
        clean_document_upload(upload)
    assert excinfo.value.code == "invalid_pdf"
    assert excinfo.value.messages == ["文件不是有效的 PDF。"]


@pytest.mark.parametrize(
    "upload",
    [svg_upload(), SimpleUploadedFile("r.pdf", b"hello"), text_renamed_as_jpeg()],
    ids=["svg", "text", "text-as-jpeg"],
)
def test_other_documents_are_refused(upload):
    with pytest.raises(ValidationError) as excinfo:
        clean_document_upload(upload)
    assert excinfo.value.code == "invalid_document"


def test_encrypted_pdf_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ValidationError) as excinfo:
        clean_document_upload(pdf_upload(data=buffer.getvalue()))
    assert excinfo.value.code == "encrypted_pdf"


def test_too_large_document_is_refused_before_parsing():
    with pytest.raises(ValidationError) as excinfo:
        clean_document_upload(pdf_upload(), max_bytes=10)
    assert excinfo.value.code == "too_large"
