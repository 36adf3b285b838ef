"""HTML views of the accounts app: an organization submits itself for verification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.forms import KycSubmitForm
from accounts.models import KycStatus, Organization
from accounts.services import can_manage_organization, organization_kyc_submit
from core.errors import DomainError


@login_required
def organization_kyc(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk)
    if not can_manage_organization(request.user, organization):
        raise Http404
    can_submit = organization.kyc_status in (KycStatus.UNVERIFIED, KycStatus.REJECTED)
    form = KycSubmitForm(request.POST or None, initial={"credit_code": organization.credit_code})
    if request.method == "POST" and can_submit and form.is_valid():
        try:
            organization_kyc_submit(
                organization=organization,
                actor=request.user,
                credit_code=form.cleaned_data["credit_code"],
            )
        except DomainError as exc:
            for field, errors in exc.fields.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not exc.fields:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("已提交实名认证，平台审核后会通知您。"))
            return redirect("core:dashboard")
    return render(
        request,
        "accounts/organization_kyc.html",
        {"organization": organization, "form": form, "can_submit": can_submit},
    )
