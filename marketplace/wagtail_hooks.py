"""Staff tools in the Wagtail admin: listing moderation and read-only marketplace data.

Moderation calls the same services as everything else (``listing_publish`` /
``listing_reject``), so the state machine, audit events and permission checks apply.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from accounts.permissions import is_platform_staff
from core.admin_policies import ReadOnlyModelPermissionPolicy, StaffMenuMixin
from core.errors import DomainError
from marketplace import selectors, services
from marketplace.forms import RejectForm
from marketplace.models import Listing, Machine, SaleRecord

for _model in (Listing, Machine, SaleRecord):
    register_permission_policy(_model, ReadOnlyModelPermissionPolicy(_model))


def _staff_only(request: HttpRequest) -> None:
    if not is_platform_staff(request.user):
        raise Http404


def moderation_index(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    listings = selectors.listings_pending_moderation()
    return render(
        request,
        "marketplace/admin/moderation_index.html",
        {"listings": listings, "page_title": _("挂牌审核"), "header_icon": "tasks"},
    )


@require_POST
def moderation_approve(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    listing = Listing.objects.filter(pk=pk).first()
    if listing is None:
        raise Http404
    try:
        services.listing_publish(listing=listing, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已通过审核并发布：%(title)s") % {"title": listing.title})
    return redirect("marketplace_moderation:index")


def moderation_reject(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    listing = Listing.objects.select_related("seller", "machine").filter(pk=pk).first()
    if listing is None:
        raise Http404
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_reject(
                listing=listing, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已驳回：%(title)s") % {"title": listing.title})
        return redirect("marketplace_moderation:index")
    return render(
        request,
        "marketplace/admin/moderation_reject.html",
        {
            "listing": listing,
            "form": form,
            "page_title": _("驳回挂牌"),
            "header_icon": "cross",
        },
    )


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [
        path(
            "moderation/listings/",
            (
                [
                    path("", moderation_index, name="index"),
                    path("<int:pk>/approve/", moderation_approve, name="approve"),
                    path("<int:pk>/reject/", moderation_reject, name="reject"),
                ],
                "marketplace_moderation",
                "marketplace_moderation",
            ),
        )
    ]


class StaffMenuItem(StaffMenuMixin, MenuItem):
    pass


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return StaffMenuItem(
        gettext_lazy("挂牌审核"),
        reverse("marketplace_moderation:index"),
        name="listing-moderation",
        icon_name="tasks",
        order=200,
    )


class ListingViewSet(ModelViewSet):
    model = Listing
    icon = "doc-full"
    menu_label = gettext_lazy("挂牌")
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields: list[str] = []  # never shown: the read-only policy denies add/edit
    search_backend_name = None
    search_fields = ["title", "machine__serial_number", "seller__name"]
    list_display = ["title", "seller", "status", "sale_format", "asking_price", "updated_at"]
    list_filter = ["status", "sale_format"]
    inspect_view_fields = [
        "title",
        "machine",
        "seller",
        "status",
        "sale_format",
        "asking_price",
        "currency",
        "invoice_available",
        "description",
        "attachments",
        "rejection_reason",
        "submitted_at",
        "published_at",
        "expires_at",
        "is_simulated",
    ]


class MachineViewSet(ModelViewSet):
    model = Machine
    icon = "cogs"
    menu_label = gettext_lazy("设备")
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields: list[str] = []  # never shown: the read-only policy denies add/edit
    search_backend_name = None
    search_fields = ["serial_number", "equipment_model__name", "owner__name"]
    list_display = ["__str__", "owner", "year_of_manufacture", "current_hours", "city"]
    list_filter = ["category", "brand", "is_certified", "is_encumbered", "is_scrapped"]


class SaleRecordViewSet(ModelViewSet):
    model = SaleRecord
    icon = "table"
    menu_label = gettext_lazy("成交记录")
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields: list[str] = []  # never shown: the read-only policy denies add/edit
    search_backend_name = None
    search_fields = ["brand_name", "model_name", "city"]
    list_display = ["__str__", "source", "sale_channel", "sold_at", "price", "city"]
    list_filter = ["source", "sale_channel"]


class MarketplaceViewSetGroup(ModelViewSetGroup):
    items = (ListingViewSet, MachineViewSet, SaleRecordViewSet)
    menu_icon = "list-ul"
    menu_label = gettext_lazy("交易数据")
    menu_order = 210


@hooks.register("register_admin_viewset")
def register_marketplace_viewsets():
    return MarketplaceViewSetGroup()
