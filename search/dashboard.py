"""Search's part of the dashboard and role menu (see core.dashboard): a buyer's saved
searches and the search page."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.memberships import holds
from accounts.models import User
from accounts.permissions import Permission
from core.dashboard import DashboardItem, DashboardSection, MenuEntry
from search.models import SavedSearch


def sections(request: HttpRequest, user: User) -> list[DashboardSection]:
    if not holds(request, Permission.TRADE_BUY):
        return []
    return [
        DashboardSection(
            title=_("找设备"),
            items=[
                DashboardItem(
                    label=_("已保存的搜索"),
                    count=SavedSearch.objects.filter(user=user).count(),
                    url=reverse("search:saved_list"),
                    key="search.saved",
                ),
                DashboardItem(
                    label=_("搜索设备"), count=None, url=reverse("search:search"), key="search"
                ),
            ],
            # The key the dashboard had when this section was the marketplace's.
            key="marketplace.search",
        )
    ]


def menu(request: HttpRequest, user: User) -> list[MenuEntry]:
    if not holds(request, Permission.TRADE_BUY):
        return []
    return [
        MenuEntry("buying", _("已保存的搜索"), reverse("search:saved_list"), "search.saved", 20)
    ]
