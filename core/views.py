from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from core.dashboard import dashboard_sections, user_memberships


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
