"""Accounts' part of the dashboard and role menu (see core.dashboard): the staff queue of
organizations waiting for real-name (KYC) review, with how long the oldest has waited."""

from django.db.models import Max, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.memberships import is_staff
from accounts.models import KycStatus, Organization, User
from core.dashboard import DashboardItem, DashboardSection, MenuEntry


def kyc_queue() -> tuple[int, object]:
    """One query: each pending organization with the time of its latest submission."""
    submitted = list(
        Organization.objects.filter(kyc_status=KycStatus.PENDING)
        .annotate(
            since=Max("kyc_events__created_at", filter=Q(kyc_events__to_status=KycStatus.PENDING))
        )
        .values_list("since", "created_at")
    )
    waiting = [since or created for since, created in submitted]
    return len(waiting), min(waiting, default=None)


def sections(request: HttpRequest, user: User) -> list[DashboardSection]:
    if not is_staff(request):
        return []
    count, oldest = kyc_queue()
    return [
        DashboardSection(
            title=_("待处理：机构"),
            key="accounts.staff",
            items=[
                DashboardItem(
                    _("待实名审核的机构"),
                    count,
                    reverse("accounts_kyc:index"),
                    "staff.kyc",
                    oldest=oldest,
                )
            ],
        )
    ]


def menu(request: HttpRequest, user: User) -> list[MenuEntry]:
    if not is_staff(request):
        return []
    return [MenuEntry("staff", _("机构实名审核"), reverse("accounts_kyc:index"), "staff.kyc")]
