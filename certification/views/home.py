"""The certification start page and the published grading rules."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from certification import selectors
from certification.grading import grade_rules
from certification.models import (
    RemanCertificate,
)


def _verify_lookup_url() -> str:
    """The public lookup page, or "" while /verify/ is not mounted in the project urls."""
    try:
        return reverse("verify:lookup")
    except NoReverseMatch:
        return ""


def index(request: HttpRequest) -> HttpResponse:
    context: dict = {"verify_lookup_url": _verify_lookup_url()}
    if request.user.is_authenticated:
        context |= {
            "incoming": selectors.requests_for_certifiers(request.user)[:50],
            "outgoing": selectors.requests_of_requester(request.user)[:50],
            "reports": selectors.InspectionReport.objects.filter(
                selectors.report_visible_to(request.user)
            ).select_related("machine__brand", "machine__equipment_model")[:50],
            "certificates": RemanCertificate.objects.filter(
                selectors.certificate_visible_to(request.user)
            ).select_related("machine__brand", "machine__equipment_model")[:50],
            "is_inspector": bool(selectors.certifier_organizations(request.user)),
        }
    return render(request, "certification/index.html", context)


def grading_rules(request: HttpRequest) -> HttpResponse:
    return render(request, "certification/rules.html", {"rules": grade_rules()})
