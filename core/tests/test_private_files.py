"""Private files are served as downloads only, in each production mode; /media/ is public only."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.http import Http404

from core.private_files import attachment_header, private_file_response
from core.storage import private_storage


class StoredFile:
    """The part of a FieldFile that private_file_response uses."""

    def __init__(self, storage, name):
        self.storage, self.name = storage, name

    def __bool__(self):
        return bool(self.name)


def _stored(
    name: str = "leasing/documents/2026/12/abc.pdf", data: bytes = b"%PDF-1.7"
) -> StoredFile:
    storage = private_storage()
    return StoredFile(storage, storage.save(name, ContentFile(data)))


def _assert_download(response, content_type: str) -> None:
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment; ")


def test_django_mode_streams_the_file_as_an_attachment():
    response = private_file_response(_stored(), download_name="营业执照-7")
    assert response.status_code == 200
    _assert_download(response, "application/pdf")
    assert response["Content-Disposition"] == (
        "attachment; filename=\"download.pdf\"; filename*=UTF-8''"
        "%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7-7.pdf"
    )
    assert b"".join(response.streaming_content) == b"%PDF-1.7"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("a/b.jpg", "image/jpeg"),
        ("a/b.png", "image/png"),
        ("a/b.webp", "image/webp"),
        ("a/b.html", "application/octet-stream"),
        ("a/b.svg", "application/octet-stream"),
        ("a/b", "application/octet-stream"),
    ],
)
def test_content_type_comes_from_the_stored_extension_only(name, content_type):
    response = private_file_response(_stored(name, b"<script>"), download_name="x.pdf")
    _assert_download(response, content_type)


def test_download_name_cannot_inject_a_header_or_change_the_type():
    header = attachment_header('a"\r\nSet-Cookie: x')
    assert "\r" not in header and "\n" not in header
    response = private_file_response(_stored(), download_name='../../evil.html"\r\nX: y')
    disposition = response["Content-Disposition"]
    assert (
        "\r" not in disposition
        and "\n" not in disposition
        and "/" not in disposition.split("''")[0]
    )
    assert disposition == (
        "attachment; filename=\"evil.html_X_y.pdf\"; filename*=UTF-8''_.._evil.html_X%3A%20y.pdf"
    )


def test_missing_file_is_a_404():
    with pytest.raises(Http404):
        private_file_response(StoredFile(private_storage(), "gone/a.pdf"), download_name="a")
    with pytest.raises(Http404):
        private_file_response(StoredFile(private_storage(), ""), download_name="a")


def test_x_accel_mode_hands_the_file_to_nginx(settings):
    settings.PRIVATE_FILES_SERVE = "x-accel"
    settings.PRIVATE_FILES_ACCEL_PREFIX = "/_private/"
    response = private_file_response(_stored(), download_name="licence")
    _assert_download(response, "application/pdf")
    assert response["X-Accel-Redirect"] == "/_private/leasing/documents/2026/12/abc.pdf"
    assert response.content == b""


def test_redirect_mode_signs_a_short_lived_url_with_type_and_disposition(settings):
    settings.PRIVATE_FILES_SERVE = "redirect"
    calls = []

    class SigningStorage:
        def url(self, name, parameters=None, expire=None):
            calls.append((name, parameters, expire))
            return "https://bucket.example/abc.pdf?X-Amz-Signature=s"

    response = private_file_response(StoredFile(SigningStorage(), "k/abc.pdf"), download_name="l")
    assert response.status_code == 302
    assert response["Location"] == "https://bucket.example/abc.pdf?X-Amz-Signature=s"
    assert response["Cache-Control"] == "private, no-store"
    assert calls == [
        (
            "k/abc.pdf",
            {
                "ResponseContentDisposition": (
                    "attachment; filename=\"l.pdf\"; filename*=UTF-8''l.pdf"
                ),
                "ResponseContentType": "application/pdf",
            },
            60,
        )
    ]


def _put(root: Path, name: str, data: bytes = b"data") -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_public_media_serves_listing_photos_with_nosniff(client, settings):
    _put(Path(settings.MEDIA_ROOT), "listings/2026/12/a.jpg")
    response = client.get("/media/listings/2026/12/a.jpg")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "leasing/documents/2026/12/营业执照.pdf",
        "inspections/2026/12/meter.jpg",
        "listings/../leasing/documents/2026/12/营业执照.pdf",
        "/inspections/2026/12/meter.jpg",
    ],
)
def test_old_public_addresses_of_private_files_are_gone(client, settings, path, db):
    _put(Path(settings.MEDIA_ROOT), "leasing/documents/2026/12/营业执照.pdf")
    _put(Path(settings.MEDIA_ROOT), "inspections/2026/12/meter.jpg")
    response = client.get("/media/" + path)
    assert response.status_code == 404
