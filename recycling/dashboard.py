"""Recycling's part of the dashboard and role menu (see core.dashboard): a recycler's
requests to quote, quotes waiting for the owner, and jobs to dismantle; an owner's open
disposal requests."""

from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.memberships import organizations_holding
from accounts.models import User
from accounts.permissions import Permission
from core.dashboard import DashboardItem, DashboardSection, MenuEntry
from recycling.models import (
    OPEN_DISPOSAL_STATUSES,
    DisposalQuote,
    DisposalRequest,
    DisposalStatus,
    QuoteStatus,
)


def _recycler_section(recyclers) -> DashboardSection:
    url = reverse("recycling:request_list")
    quoted_by_me = DisposalQuote.objects.filter(request=OuterRef("pk"), recycler__in=recyclers)
    to_quote = (
        DisposalRequest.objects.filter(status__in=[DisposalStatus.REQUESTED, DisposalStatus.QUOTED])
        .exclude(owner__in=recyclers)
        .exclude(Exists(quoted_by_me))
        .count()
    )
    quotes = DisposalQuote.objects.filter(recycler__in=recyclers).aggregate(
        offered=Count("id", filter=Q(status=QuoteStatus.OFFERED)),
        to_dismantle=Count(
            "id",
            filter=Q(status=QuoteStatus.ACCEPTED, request__status=DisposalStatus.ACCEPTED),
        ),
    )
    return DashboardSection(
        title=_("回收拆解业务"),
        key="recycling.recycler",
        items=[
            DashboardItem(_("待报价的回收需求"), to_quote, url, "requests.to_quote"),
            DashboardItem(_("等待车主选择的报价"), quotes["offered"], url, "quotes.offered"),
            DashboardItem(_("已中选待拆解"), quotes["to_dismantle"], url, "quotes.to_dismantle"),
        ],
    )


def sections(request: HttpRequest, user: User) -> list[DashboardSection]:
    result = []
    recyclers = organizations_holding(request, Permission.DISPOSAL_QUOTE)
    if recyclers:
        result.append(_recycler_section(recyclers))
    owners = organizations_holding(request, Permission.LISTING_MANAGE)
    if owners:
        counts = DisposalRequest.objects.filter(
            owner__in=owners, status__in=OPEN_DISPOSAL_STATUSES
        ).aggregate(open=Count("id"), quoted=Count("id", filter=Q(status=DisposalStatus.QUOTED)))
        if counts["open"]:  # most dealers never scrap a machine: shown only when in use
            url = reverse("recycling:request_list")
            result.append(
                DashboardSection(
                    title=_("设备报废回收"),
                    key="recycling.owner",
                    items=[
                        DashboardItem(_("进行中的回收申请"), counts["open"], url, "requests.open"),
                        DashboardItem(_("有报价待选择"), counts["quoted"], url, "requests.quoted"),
                    ],
                )
            )
    return result


def menu(request: HttpRequest, user: User) -> list[MenuEntry]:
    if not organizations_holding(request, Permission.DISPOSAL_QUOTE):
        return []
    return [
        MenuEntry(
            "recycling",
            _("回收需求与报价"),
            reverse("recycling:request_list"),
            "recycling.requests",
        )
    ]
