"""What the certification app adds to listing pages and cards (see core.panels).

Badges: the condition grade and "inspected" link to the latest inspection report's public
verification page, "remanufactured" to the valid remanufacturing certificate, and an hours
warning links to the machine passport, where the anomalies are explained.
"""

from django.http import HttpRequest
from django.template.loader import render_to_string

from accounts.permissions import Permission, has_org_permission, organizations_with_permission
from certification.models import (
    OPEN_REQUEST_STATUSES,
    CertificateStatus,
    InspectionReport,
    InspectionRequest,
    RemanCertificate,
    ReportStatus,
)
from certification.verification import verify_path
from marketplace.models import Listing


def listing_panel(request: HttpRequest, listing: Listing) -> str:
    machine = listing.machine
    report = (
        InspectionReport.objects.filter(machine=machine, status=ReportStatus.SUBMITTED)
        .select_related("machine__brand", "certifier", "previous")
        .order_by("-submitted_at", "-id")
        .first()
    )
    certificate = (
        RemanCertificate.objects.filter(machine=machine, status=CertificateStatus.ISSUED)
        .select_related("machine__brand", "certifier", "previous")
        .order_by("-issued_at", "-id")
        .first()
    )
    return render_to_string(
        "certification/includes/listing_badges.html",
        {
            "machine": machine,
            "report": report,
            "report_url": verify_path(report) if report else "",
            "certificate": certificate,
            "certificate_url": verify_path(certificate) if certificate else "",
            **_actions(request, machine),
        },
        request=request,
    )


def _actions(request: HttpRequest, machine) -> dict[str, bool]:
    """Which entry points to show: owners request inspections, inspectors start documents.
    The services decide again when the action is taken."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or machine.is_scrapped:
        return {}
    inspector_orgs = organizations_with_permission(user, Permission.INSPECTION_WRITE)
    return {
        "can_request_inspection": has_org_permission(
            user, machine.owner, Permission.INSPECTION_REQUEST
        ),
        "can_inspect": any(org.pk != machine.owner_id for org in inspector_orgs),
    }


def card_extras(request: HttpRequest, listings: list[Listing]) -> dict[int, str]:
    """Short badges per card from the machine's flags (already loaded with the listing)."""
    return {
        listing.pk: render_to_string(
            "certification/includes/card_badges.html", {"machine": listing.machine}
        ).strip()
        for listing in listings
    }


def inspection_booking_panel(request: HttpRequest, listing: Listing) -> str:
    """ "预约第三方检测" for buyers on a published listing, with who pays and who sees the
    report (see ``inspection_request_create``). The seller's own entry point is the
    "申请检测" button among the badges; the service decides again on submit."""
    machine = listing.machine
    if listing.status != "published" or machine.is_scrapped:
        return ""
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    buyer_orgs = [
        org
        for org in (
            organizations_with_permission(user, Permission.INSPECTION_REQUEST) if signed_in else []
        )
        if org.pk not in (machine.owner_id, listing.seller_id)
    ]
    if signed_in and not buyer_orgs:
        return ""  # the seller, or a user whose roles cannot commission inspections
    open_request = (
        InspectionRequest.objects.filter(
            machine=machine,
            requester__in=buyer_orgs,
            status__in=OPEN_REQUEST_STATUSES,
        )
        .select_related("certifier")
        .first()
        if buyer_orgs
        else None
    )
    return render_to_string(
        "certification/includes/inspection_booking.html",
        {
            "listing": listing,
            "machine": machine,
            "signed_in": signed_in,
            "open_request": open_request,
        },
        request=request,
    )
