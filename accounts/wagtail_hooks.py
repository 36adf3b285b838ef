"""Staff tools in the Wagtail admin: KYC review of organizations, read-only organization data.

Decisions go through ``organization_kyc_approve`` / ``organization_kyc_reject``, which check
the state machine and write a ``KycEvent``.
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
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from accounts.forms import KycRejectForm
from accounts.models import KycStatus, Organization
from accounts.permissions import is_platform_staff
from accounts.services import (
    organization_kyc_approve,
    organization_kyc_reject,
    organization_set_trusted_seller,
)
from core.admin_policies import ReadOnlyModelPermissionPolicy, StaffMenuMixin
from core.errors import DomainError

register_permission_policy(Organization, ReadOnlyModelPermissionPolicy(Organization))


def _staff_only(request: HttpRequest) -> None:
    if not is_platform_staff(request.user):
        raise Http404


def _organization_or_404(pk: int) -> Organization:
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None:
        raise Http404
    return organization


def kyc_index(request: HttpRequest) -> HttpResponse:
    """The queue of pending submissions (oldest first); other states one tab away."""
    _staff_only(request)
    status = request.GET.get("status", KycStatus.PENDING)
    if status not in KycStatus.values:
        status = KycStatus.PENDING
    organizations = Organization.objects.filter(kyc_status=status).order_by("id")[:200]
    return render(
        request,
        "accounts/admin/kyc_index.html",
        {
            "organizations": organizations,
            "status": status,
            "statuses": KycStatus.choices,
            "page_title": _("机构实名审核"),
            "header_icon": "user",
        },
    )


def kyc_review(request: HttpRequest, pk: int) -> HttpResponse:
    """One organization: its data, the licence (opened through the permission-checked view),
    the decision history, approve / reject with a reason, and the trusted-seller mark."""
    _staff_only(request)
    organization = _organization_or_404(pk)
    return render(
        request,
        "accounts/admin/kyc_review.html",
        {
            "organization": organization,
            "events": organization.kyc_events.select_related("actor"),
            "members": organization.memberships.select_related("user").order_by("id"),
            "form": KycRejectForm(),
            "page_title": _("机构实名审核"),
            "header_icon": "user",
        },
    )


@require_POST
def kyc_trusted_seller(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    organization = _organization_or_404(pk)
    is_trusted = request.POST.get("is_trusted") == "1"
    try:
        organization_set_trusted_seller(
            organization=organization, actor=request.user, is_trusted=is_trusted
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if is_trusted:
            messages.success(request, _("已设为可信卖家：%(name)s") % {"name": organization.name})
        else:
            messages.success(request, _("已取消可信卖家：%(name)s") % {"name": organization.name})
    return redirect("accounts_kyc:review", pk=organization.pk)


@require_POST
def kyc_approve(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    organization = _organization_or_404(pk)
    try:
        organization_kyc_approve(organization=organization, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已通过实名认证：%(name)s") % {"name": organization.name})
    return redirect("accounts_kyc:index")


def kyc_reject(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    organization = _organization_or_404(pk)
    form = KycRejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization_kyc_reject(
                organization=organization, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已驳回：%(name)s") % {"name": organization.name})
        return redirect("accounts_kyc:index")
    return render(
        request,
        "accounts/admin/kyc_reject.html",
        {
            "organization": organization,
            "form": form,
            "page_title": _("驳回实名认证"),
            "header_icon": "cross",
        },
    )


@hooks.register("register_admin_urls")
def register_kyc_urls():
    return [
        path(
            "kyc/",
            (
                [
                    path("", kyc_index, name="index"),
                    path("<int:pk>/", kyc_review, name="review"),
                    path("<int:pk>/trusted-seller/", kyc_trusted_seller, name="trusted_seller"),
                    path("<int:pk>/approve/", kyc_approve, name="approve"),
                    path("<int:pk>/reject/", kyc_reject, name="reject"),
                ],
                "accounts_kyc",
                "accounts_kyc",
            ),
        )
    ]


class StaffMenuItem(StaffMenuMixin, MenuItem):
    pass


@hooks.register("register_admin_menu_item")
def register_kyc_menu_item():
    return StaffMenuItem(
        gettext_lazy("机构实名审核"),
        reverse("accounts_kyc:index"),
        name="kyc-review",
        icon_name="user",
        order=205,
    )


class OrganizationViewSet(ModelViewSet):
    model = Organization
    icon = "group"
    menu_label = gettext_lazy("机构")
    add_to_admin_menu = True
    menu_order = 220
    inspect_view_enabled = True
    # The licence has no public URL; staff open it from the KYC review page.
    inspect_view_fields_exclude = ["business_licence"]
    copy_view_enabled = False
    exclude_form_fields: list[str] = []  # never shown: the read-only policy denies add/edit
    search_backend_name = None
    search_fields = ["name", "credit_code", "city"]
    list_display = ["name", "kind", "kyc_status", "is_trusted_seller", "credit_code", "city"]
    list_filter = ["kind", "kyc_status", "is_trusted_seller"]


@hooks.register("register_admin_viewset")
def register_organization_viewset():
    return OrganizationViewSet("organizations")
