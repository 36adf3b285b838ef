"""Serving private files to the people allowed to see them.

Views check permission first (the same rule as the page that lists the file) and then hand
the stored file to ``private_file_response``. It always answers with a download: the content
type follows the extension the server chose when it validated the upload, never anything the
uploader sent, with ``nosniff`` and ``Content-Disposition: attachment`` so that even a file
that slipped through validation cannot run as a page of this site.

How the bytes travel is a deployment choice (``settings.PRIVATE_FILES_SERVE``):

- ``"django"`` (embedded default): Django streams the file from the private storage.
- ``"x-accel"``: an empty response with ``X-Accel-Redirect`` to an ``internal`` nginx location
  (``PRIVATE_FILES_ACCEL_PREFIX``) that aliases the private directory; nginx sends the file.
- ``"redirect"``: a redirect to a short-lived signed URL of the private bucket
  (django-storages S3), which is told to answer with the same type and disposition.
"""

import re
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}
FALLBACK_CONTENT_TYPE = "application/octet-stream"
SIGNED_URL_SECONDS = 60
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\\"]+")
_NON_ASCII_FALLBACK = re.compile(r"[^A-Za-z0-9._-]+")


def stored_extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(stored_extension(name), FALLBACK_CONTENT_TYPE)


def safe_download_name(download_name: str, stored_name: str) -> str:
    """The offered name, cleaned of path and control characters, with the stored extension."""
    extension = stored_extension(stored_name)
    name = _UNSAFE_NAME.sub("_", download_name).strip(" .") or "download"
    if extension and not name.lower().endswith("." + extension):
        name = f"{name}.{extension}"
    return name[:150]


def attachment_header(download_name: str) -> str:
    """``attachment`` with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987)."""
    fallback = _NON_ASCII_FALLBACK.sub("_", download_name).strip("_.")
    if not download_name.isascii() or not fallback:
        extension = stored_extension(download_name)
        fallback = f"download.{extension}" if extension else "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(download_name, safe='')}"


def _private_headers(response: HttpResponseBase, disposition: str) -> HttpResponseBase:
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def private_file_response(field_file, *, download_name: str) -> HttpResponseBase:
    """Serve ``field_file`` (already permission-checked) as a download; 404 if it is gone."""
    if not field_file:
        raise Http404
    name = field_file.name
    download_name = safe_download_name(download_name, name)
    disposition = attachment_header(download_name)
    content_type = content_type_for(name)
    mode = getattr(settings, "PRIVATE_FILES_SERVE", "django")
    if mode == "redirect":
        url = field_file.storage.url(
            name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
            },
            expire=SIGNED_URL_SECONDS,
        )
        return _private_headers(HttpResponseRedirect(url), disposition)
    if mode == "x-accel":
        prefix = getattr(settings, "PRIVATE_FILES_ACCEL_PREFIX", "/_private/").rstrip("/")
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix}/{quote(name)}"
        return _private_headers(response, disposition)
    try:
        handle = field_file.storage.open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type)
    return _private_headers(response, disposition)
