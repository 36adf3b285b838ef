import posixpath

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.static import serve

from core.dashboard import dashboard_sections, user_memberships
from core.storage import FORMERLY_PUBLIC_PREFIXES


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Entry point after login: the user's organizations, then what each role owns, counted
    and linked (sections contributed by the apps in settings.DASHBOARD_SECTIONS)."""
    return render(
        request,
        "core/dashboard.html",
        {
            "memberships": user_memberships(request),
            "sections": dashboard_sections(request, request.user),
        },
    )


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
