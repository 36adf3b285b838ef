"""The dashboard and the role menu as extension points: each domain app contributes its own
sections and menu entries without core importing it (the same pattern as core.panels).

``settings.DASHBOARD_SECTIONS`` lists callables ``(request, user) -> list[DashboardSection]``
and ``settings.MAIN_MENU`` callables ``(request, user) -> list[MenuEntry]``. Both decide
what to show from the permission table in accounts.permissions, through the memberships
read once per request by accounts.memberships (so the menu costs one query per page, and
the dashboard one query per count). The dashboard page itself is accounts' view.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DashboardItem:
    """One line of a section: what it counts, how many, and the page that lists them."""

    label: str
    count: int | None
    url: str
    key: str = ""
    # Staff queues: when the item that has waited longest arrived.
    oldest: dt.datetime | None = None

    @property
    def ageing(self) -> dt.timedelta | None:
        return timezone.now() - self.oldest if self.oldest is not None else None


@dataclass(frozen=True)
class DashboardSection:
    title: str
    items: list[DashboardItem] = field(default_factory=list)
    key: str = ""


@dataclass(frozen=True)
class MenuEntry:
    group: str  # a key of MENU_GROUPS
    label: str
    url: str
    key: str = ""
    position: int = 50  # order within the group (ties keep the registry's order)


@dataclass(frozen=True)
class MenuGroup:
    key: str
    title: str
    entries: list[MenuEntry]


# The role menus, in the order the header shows them.
MENU_GROUPS = {
    "selling": _("我的销售"),
    "buying": _("我的采购"),
    "leasing": _("融资租赁业务"),
    "certification": _("检测认证业务"),
    "recycling": _("回收拆解业务"),
    "staff": _("平台管理"),
}


def dashboard_sections(request: HttpRequest, user: Any) -> list[DashboardSection]:
    sections: list[DashboardSection] = []
    for path in settings.DASHBOARD_SECTIONS:
        sections.extend(section for section in import_string(path)(request, user) if section.items)
    return sections


def main_menu(request: HttpRequest, user: Any) -> list[MenuGroup]:
    entries: list[MenuEntry] = []
    for path in settings.MAIN_MENU:
        entries.extend(import_string(path)(request, user))
    return [
        MenuGroup(key=key, title=title, entries=grouped)
        for key, title in MENU_GROUPS.items()
        if (
            grouped := sorted(
                (entry for entry in entries if entry.group == key), key=lambda e: e.position
            )
        )
    ]
