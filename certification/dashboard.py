"""Certification's part of the dashboard and role menu (see core.dashboard): a requester's
open inspection requests; a certifier's incoming requests, drafts and issued documents."""

from django.db.models import Count, Min, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.memberships import organizations_holding
from accounts.models import User
from accounts.permissions import Permission
from certification.models import (
    OPEN_REQUEST_STATUSES,
    CertificateStatus,
    InspectionReport,
    InspectionRequest,
    InspectionRequestStatus,
    RemanCertificate,
    ReportStatus,
)
from core.dashboard import DashboardItem, DashboardSection, MenuEntry


def _documents(certifiers) -> dict[str, int]:
    """Two queries: reports and certificates, each counted by draft and issued."""
    reports = InspectionReport.objects.filter(certifier__in=certifiers).aggregate(
        drafts=Count("id", filter=Q(status=ReportStatus.DRAFT)),
        issued=Count("id", filter=Q(status=ReportStatus.SUBMITTED)),
    )
    certificates = RemanCertificate.objects.filter(certifier__in=certifiers).aggregate(
        drafts=Count("id", filter=Q(status=CertificateStatus.DRAFT)),
        issued=Count("id", filter=Q(status=CertificateStatus.ISSUED)),
    )
    return {
        "drafts": reports["drafts"] + certificates["drafts"],
        "reports": reports["issued"],
        "certificates": certificates["issued"],
    }


def _certifier_section(certifiers) -> DashboardSection:
    index = reverse("certification:index")
    incoming = InspectionRequest.objects.filter(certifier__in=certifiers).aggregate(
        requested=Count("id", filter=Q(status=InspectionRequestStatus.REQUESTED)),
        accepted=Count("id", filter=Q(status=InspectionRequestStatus.ACCEPTED)),
        oldest=Min("created_at", filter=Q(status=InspectionRequestStatus.REQUESTED)),
    )
    documents = _documents(certifiers)
    return DashboardSection(
        title=_("检测认证业务"),
        key="certification.certifier",
        items=[
            DashboardItem(
                _("待受理的检测申请"),
                incoming["requested"],
                index + "#incoming",
                "requests.incoming",
                oldest=incoming["oldest"],
            ),
            DashboardItem(
                _("已受理待检测"), incoming["accepted"], index + "#incoming", "requests.accepted"
            ),
            DashboardItem(_("草稿"), documents["drafts"], index + "#reports", "drafts"),
            DashboardItem(
                _("已出具的检测报告"), documents["reports"], index + "#reports", "reports.issued"
            ),
            DashboardItem(
                _("有效的再制造证书"),
                documents["certificates"],
                index + "#certificates",
                "certificates.issued",
            ),
        ],
    )


def sections(request: HttpRequest, user: User) -> list[DashboardSection]:
    result = []
    requesters = organizations_holding(request, Permission.INSPECTION_REQUEST)
    if requesters:
        count = InspectionRequest.objects.filter(
            requester__in=requesters, status__in=OPEN_REQUEST_STATUSES
        ).count()
        result.append(
            DashboardSection(
                title=_("检测认证"),
                key="certification.requester",
                items=[
                    DashboardItem(
                        _("进行中的检测申请"),
                        count,
                        reverse("certification:index") + "#outgoing",
                        "requests.outgoing",
                    )
                ],
            )
        )
    certifiers = organizations_holding(request, Permission.INSPECTION_WRITE)
    if certifiers:
        result.append(_certifier_section(certifiers))
    return result


def menu(request: HttpRequest, user: User) -> list[MenuEntry]:
    index = reverse("certification:index")
    entries = []
    if organizations_holding(request, Permission.INSPECTION_REQUEST):
        # Dealers request inspections of what they sell; buyers of what they consider.
        group = "selling" if organizations_holding(request, Permission.TRADE_SELL) else "buying"
        entries.append(MenuEntry(group, _("我的检测申请"), index + "#outgoing", "inspections", 40))
    if organizations_holding(request, Permission.INSPECTION_WRITE):
        entries += [
            MenuEntry(
                "certification", _("检测申请"), index + "#incoming", "certification.requests"
            ),
            MenuEntry("certification", _("草稿"), index + "#reports", "certification.drafts"),
            MenuEntry(
                "certification",
                _("已出具的文件"),
                index + "#certificates",
                "certification.issued",
            ),
        ]
    return entries
