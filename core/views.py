from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from accounts.models import Membership


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Entry point after login: what each of the user's organizations can do here."""
    memberships = Membership.objects.filter(user=request.user).select_related("organization")
    return render(request, "core/dashboard.html", {"memberships": memberships})


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
