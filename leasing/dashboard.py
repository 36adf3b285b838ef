"""Leasing's part of the dashboard and role menu (see core.dashboard): a lessee's
applications, a lessor's products, applications to review and contracts."""

from django.db.models import Count, Min, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.memberships import organizations_holding
from accounts.models import User
from accounts.permissions import Permission
from core.dashboard import DashboardItem, DashboardSection, MenuEntry
from leasing.models import (
    ApplicationStatus,
    ContractStatus,
    LeaseApplication,
    LeaseContract,
    LeaseProduct,
)

S = ApplicationStatus
IN_PROGRESS = [S.SUBMITTED, S.INFO_REQUESTED, S.RESUBMITTED, S.APPROVED]
TO_REVIEW = [S.SUBMITTED, S.RESUBMITTED]


def _applicant_section(applicants) -> DashboardSection:
    counts = LeaseApplication.objects.filter(applicant__in=applicants).aggregate(
        open=Count("id", filter=Q(status__in=IN_PROGRESS)),
        info=Count("id", filter=Q(status=S.INFO_REQUESTED)),
        approved=Count("id", filter=Q(status=S.APPROVED)),
    )
    url = reverse("leasing:application_list")
    return DashboardSection(
        title=_("我的融资申请"),
        key="leasing.applicant",
        items=[
            DashboardItem(_("进行中的申请"), counts["open"], url, "applications.open"),
            DashboardItem(_("待补充资料"), counts["info"], url, "applications.info_requested"),
            DashboardItem(_("已批准待接受"), counts["approved"], url, "applications.approved"),
        ],
    )


def _lessor_section(managers, reviewers) -> DashboardSection:
    items = []
    if managers:
        items.append(
            DashboardItem(
                _("上架的租赁产品"),
                LeaseProduct.objects.filter(lessor__in=managers, is_active=True).count(),
                reverse("leasing:product_list"),
                "products",
            )
        )
    lessors = {org.pk: org for org in [*managers, *reviewers]}.values()
    if reviewers:
        queue = LeaseApplication.objects.filter(
            lessor__in=reviewers, status__in=TO_REVIEW
        ).aggregate(n=Count("id"), oldest=Min("submitted_at"))
        items.append(
            DashboardItem(
                _("待审批的申请"),
                queue["n"],
                reverse("leasing:application_list"),
                "applications.to_review",
                oldest=queue["oldest"],
            )
        )
    items.append(
        DashboardItem(
            _("履行中的合同"),
            LeaseContract.objects.filter(
                lessor__in=list(lessors), status=ContractStatus.ACTIVE
            ).count(),
            reverse("leasing:application_list") + "#contracts",
            "contracts.active",
        )
    )
    return DashboardSection(title=_("融资租赁业务"), key="leasing.lessor", items=items)


def sections(request: HttpRequest, user: User) -> list[DashboardSection]:
    result = []
    applicants = organizations_holding(request, Permission.LEASE_APPLY)
    if applicants:
        result.append(_applicant_section(applicants))
    managers = organizations_holding(request, Permission.LEASE_PRODUCT_MANAGE)
    reviewers = organizations_holding(request, Permission.LEASE_APPLICATION_REVIEW)
    if managers or reviewers:
        result.append(_lessor_section(managers, reviewers))
    return result


def menu(request: HttpRequest, user: User) -> list[MenuEntry]:
    entries = []
    applications = reverse("leasing:application_list")
    if organizations_holding(request, Permission.LEASE_APPLY):
        entries.append(MenuEntry("buying", _("融资申请"), applications, "leasing.applications", 30))
    if organizations_holding(request, Permission.LEASE_PRODUCT_MANAGE):
        entries.append(
            MenuEntry("leasing", _("租赁产品"), reverse("leasing:product_list"), "leasing.products")
        )
    if organizations_holding(request, Permission.LEASE_APPLICATION_REVIEW):
        entries += [
            MenuEntry("leasing", _("待审批的申请"), applications + "#review", "leasing.review"),
            MenuEntry("leasing", _("租赁合同"), applications + "#contracts", "leasing.contracts"),
        ]
    return entries
