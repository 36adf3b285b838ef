import posixpath

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.static import serve

from core.storage import FORMERLY_PUBLIC_PREFIXES


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def public_media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploads meant for the public (published listing photos) in the embedded default.

    Directories that once held private files under ``MEDIA_ROOT`` (lease documents, inspection
    photos, before they moved to the private storage) are refused even if a copy is left.
    """
    if posixpath.normpath(path).lstrip("/").startswith(FORMERLY_PUBLIC_PREFIXES):
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    return response
