"""Uploads are validated by content, and metadata never survives re-encoding."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.tests.images import jpeg_with_exif_upload, png_upload, text_renamed_as_jpeg
from core.uploads import clean_document_upload, clean_image_upload


def test_renamed_text_file_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        clean_image_upload(text_renamed_as_jpeg())
    assert excinfo.value.code == "invalid_image"


def test_real_png_is_accepted():
    clean = clean_image_upload(png_upload("side.png", size=(40, 30)))
    assert (clean.format, clean.width, clean.height) == ("PNG", 40, 30)
    assert clean.content.name == "side.png"


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
    assert clean.content.name == "disguised.png"


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


def test_document_accepts_pdf_magic_and_refuses_text():
    assert clean_document_upload(SimpleUploadedFile("r.pdf", b"%PDF-1.7\n...")) == "pdf"
    with pytest.raises(ValidationError):
        clean_document_upload(SimpleUploadedFile("r.pdf", b"hello"))
