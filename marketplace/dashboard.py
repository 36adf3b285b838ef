"""The marketplace's part of the dashboard and role menu (see core.dashboard): a dealer's
listings by status and the staff moderation queue (a buyer's saved searches are search's)."""

from django.db.models import Count, Min
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.memberships import holds, is_staff, organizations_holding
from accounts.models import User
from accounts.permissions import Permission
from core.dashboard import DashboardItem, DashboardSection, MenuEntry
from marketplace.models import Listing, ListingQuestion, ListingStatus

# Always shown to a dealer, even at zero; the other statuses only when something is in them.
MAIN_STATUSES = (
    ListingStatus.DRAFT,
    ListingStatus.SUBMITTED,
    ListingStatus.PUBLISHED,
    ListingStatus.RESERVED,
    ListingStatus.SOLD,
)


def listing_counts_by_status(organizations) -> dict[str, int]:
    rows = (
        Listing.objects.filter(seller__in=organizations)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def moderation_queue() -> tuple[int, object]:
    """How many listings wait for moderation and since when the oldest has waited."""
    totals = Listing.objects.filter(status=ListingStatus.SUBMITTED).aggregate(
        n=Count("id"), oldest=Min("submitted_at")
    )
    return totals["n"], totals["oldest"]


def _questions_item() -> DashboardItem:
    """Buyers' questions the seller has answered, waiting for staff before they go public."""
    totals = ListingQuestion.objects.awaiting_review().aggregate(
        n=Count("id"), oldest=Min("answered_at")
    )
    return DashboardItem(
        label=_("待审核问答"),
        count=totals["n"],
        url=reverse("marketplace:question_moderation"),
        key="staff.questions",
        oldest=totals["oldest"],
    )


def sections(request: HttpRequest, user: User) -> list[DashboardSection]:
    result = []
    sellers = organizations_holding(request, Permission.LISTING_MANAGE)
    if sellers:
        counts = listing_counts_by_status(sellers)
        base = reverse("marketplace:dealer_listings")
        items = [
            DashboardItem(
                label=str(ListingStatus(status).label),
                count=counts.get(status, 0),
                url=f"{base}?status={status}",
                key=f"listings.{status}",
            )
            for status in ListingStatus.values
            if status in MAIN_STATUSES or counts.get(status)
        ]
        items.append(
            DashboardItem(
                label=_("发布设备"),
                count=None,
                url=reverse("marketplace:listing_create"),
                key="listings.new",
            )
        )
        result.append(
            DashboardSection(title=_("我的挂牌"), items=items, key="marketplace.listings")
        )
    if is_staff(request):
        count, oldest = moderation_queue()
        result.append(
            DashboardSection(
                title=_("待处理：挂牌"),
                items=[
                    DashboardItem(
                        label=_("待审核挂牌"),
                        count=count,
                        url=reverse("marketplace_moderation:index"),
                        key="staff.moderation",
                        oldest=oldest,
                    ),
                    _questions_item(),
                ],
                key="marketplace.staff",
            )
        )
    return result


def menu(request: HttpRequest, user: User) -> list[MenuEntry]:
    entries = []
    if holds(request, Permission.LISTING_MANAGE):
        entries += [
            MenuEntry(
                "selling", _("我的挂牌"), reverse("marketplace:dealer_listings"), "listings", 10
            ),
            MenuEntry(
                "selling", _("发布设备"), reverse("marketplace:listing_create"), "listings.new", 11
            ),
        ]
    if is_staff(request):
        entries.append(
            MenuEntry(
                "staff", _("挂牌审核"), reverse("marketplace_moderation:index"), "staff.moderation"
            )
        )
        entries.append(
            MenuEntry(
                "staff",
                _("问答审核"),
                reverse("marketplace:question_moderation"),
                "staff.questions",
            )
        )
    return entries
