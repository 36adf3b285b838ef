"""HTML views of the accounts app: registering an organization, submitting it for
verification, its members and invitations, and the permission-checked business licence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.adapters import INVITATION_SESSION_KEY
from accounts.forms import (
    InvitationForm,
    KycSubmitForm,
    MembershipRoleForm,
    OrganizationRegisterForm,
)
from accounts.memberships import user_memberships
from accounts.models import Invitation, KycStatus, Membership, Organization, Role
from accounts.permissions import is_platform_staff
from accounts.services import (
    can_manage_organization,
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_revoke,
    membership_change_role,
    membership_remove,
    organization_kyc_submit,
    organization_register,
)
from core.dashboard import dashboard_sections
from core.errors import DomainError
from core.private_files import private_file_response


def _form_errors_from(form, exc: DomainError) -> None:
    """Show a refused service call inline: field errors on their fields, the rest on top."""
    shown = False
    for field, errors in exc.fields.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
            shown = True
    if not shown:
        form.add_error(None, exc.message)


def register_redirect(request: HttpRequest) -> HttpResponse:
    """``/accounts/register/`` (linked from the trading guide) is the signup page."""
    return redirect("account_signup")


@login_required
def organization_register_view(request: HttpRequest) -> HttpResponse:
    form = OrganizationRegisterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = organization_register(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(
                request,
                _("机构“%(name)s”已创建。请确认信息后提交实名认证。") % {"name": organization.name},
            )
            return redirect("accounts:organization_kyc", pk=organization.pk)
    return render(request, "accounts/organization_register.html", {"form": form})


def _managed_organization(request: HttpRequest, pk: int) -> Organization:
    organization = get_object_or_404(Organization, pk=pk)
    if not can_manage_organization(request.user, organization):
        raise Http404
    return organization


@login_required
def organization_kyc(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _managed_organization(request, pk)
    can_submit = organization.kyc_status in (KycStatus.UNVERIFIED, KycStatus.REJECTED)
    form = KycSubmitForm(
        request.POST or None,
        request.FILES or None,
        initial={"credit_code": organization.credit_code},
    )
    if request.method == "POST" and can_submit and form.is_valid():
        try:
            organization_kyc_submit(
                organization=organization,
                actor=request.user,
                credit_code=form.cleaned_data["credit_code"],
                business_licence=form.cleaned_data.get("business_licence"),
            )
        except DomainError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, _("已提交实名认证，平台审核后会通知您。"))
            return redirect("dashboard:index")
    return render(
        request,
        "accounts/organization_kyc.html",
        {"organization": organization, "form": form, "can_submit": can_submit},
    )


@login_required
def organization_licence(request: HttpRequest, pk: int) -> HttpResponse:
    """The business licence, for platform staff and the organization's owners and admins
    only; everyone else gets the same 404 as for an organization that does not exist."""
    organization = get_object_or_404(Organization, pk=pk)
    allowed = is_platform_staff(request.user) or can_manage_organization(request.user, organization)
    if not allowed or not organization.business_licence:
        raise Http404
    return private_file_response(
        organization.business_licence,
        download_name=_("营业执照-%(name)s") % {"name": organization.name},
    )


@login_required
def organization_members(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _managed_organization(request, pk)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_create(
                organization=organization,
                actor=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                base_url=request.build_absolute_uri("/"),
            )
        except DomainError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(
                request, _("邀请已发送至 %(email)s。") % {"email": form.cleaned_data["email"]}
            )
            return redirect("accounts:organization_members", pk=organization.pk)
    memberships = organization.memberships.select_related("user").order_by("id")
    me = memberships.filter(user=request.user).first()
    return render(
        request,
        "accounts/organization_members.html",
        {
            "organization": organization,
            "memberships": memberships,
            "invitations": organization.invitations.pending().order_by("-created_at"),
            "form": form,
            "role_choices": Role.choices,
            "is_owner": me is not None and me.role == Role.OWNER,
        },
    )


def _membership_or_404(request: HttpRequest, pk: int, membership_pk: int) -> Membership:
    organization = _managed_organization(request, pk)
    return get_object_or_404(Membership, pk=membership_pk, organization=organization)


@login_required
@require_POST
def membership_role(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership = _membership_or_404(request, pk, membership_pk)
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择有效的角色。"))
    else:
        try:
            membership_change_role(
                membership=membership, actor=request.user, role=form.cleaned_data["role"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已更新 %(user)s 的角色。") % {"user": membership.user})
    return redirect("accounts:organization_members", pk=pk)


@login_required
@require_POST
def membership_delete(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership = _membership_or_404(request, pk, membership_pk)
    try:
        membership_remove(membership=membership, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已移除成员 %(user)s。") % {"user": membership.user})
    if membership.user_id == request.user.pk and not can_manage_organization(
        request.user, membership.organization
    ):
        return redirect("dashboard:index")
    return redirect("accounts:organization_members", pk=pk)


@login_required
@require_POST
def invitation_cancel(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    organization = _managed_organization(request, pk)
    invitation = get_object_or_404(Invitation, pk=invitation_pk, organization=organization)
    try:
        invitation_revoke(invitation=invitation, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤销邀请。"))
    return redirect("accounts:organization_members", pk=pk)


def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation e-mail. Anonymous visitors are asked to sign up or log in;
    the token waits in their session and they come back here afterwards."""
    try:
        invitation = invitation_for_token(token)
    except DomainError as exc:
        request.session.pop(INVITATION_SESSION_KEY, None)
        return render(
            request, "accounts/invitation_invalid.html", {"message": exc.message}, status=404
        )
    if not request.user.is_authenticated:
        request.session[INVITATION_SESSION_KEY] = token
        return render(request, "accounts/invitation_accept.html", {"invitation": invitation})
    error = ""
    if request.method == "POST":
        try:
            membership = invitation_accept(token=token, actor=request.user)
        except DomainError as exc:
            error = exc.message
        else:
            request.session.pop(INVITATION_SESSION_KEY, None)
            messages.success(
                request,
                _("您已加入%(name)s，角色：%(role)s。")
                % {"name": membership.organization.name, "role": membership.get_role_display()},
            )
            return redirect("dashboard:index")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "error": error, "login_url": reverse("accounts:login")},
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Entry point after login: the user's organizations, then what each role owns, counted
    and linked (sections contributed by the apps in settings.DASHBOARD_SECTIONS)."""
    return render(
        request,
        "accounts/dashboard.html",
        {
            "memberships": user_memberships(request),
            "sections": dashboard_sections(request, request.user),
        },
    )
