"""HTML views of the recycling app: parse input, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import Permission, has_org_permission, organizations_with_permission
from core.confirm import confirmed
from core.documents import verify_path
from core.errors import DomainError
from marketplace.models import Machine
from recycling import selectors, services
from recycling.forms import (
    CompletionForm,
    DisposalRequestForm,
    MaterialFormSet,
    QuoteForm,
    RevocationForm,
)
from recycling.models import DisposalQuote, QuoteStatus


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "recycling/request_list.html",
        {"requests": selectors.disposal_requests_for_user(request.user)[:100]},
    )


@login_required
def request_create(request: HttpRequest, machine_id: int) -> HttpResponse:
    machine = get_object_or_404(
        Machine.objects.select_related("brand", "equipment_model"), pk=machine_id
    )
    form = DisposalRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            disposal = services.disposal_request_create(
                machine=machine, actor=request.user, note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("报废处置申请已发布，等待回收企业报价。"))
            return redirect("recycling:request_detail", pk=disposal.pk)
    return render(request, "recycling/request_form.html", {"form": form, "machine": machine})


def _request_or_404(request: HttpRequest, pk: int):
    disposal = selectors.disposal_request_get_for_user(request_id=pk, user=request.user)
    if disposal is None:
        raise Http404
    return disposal


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    disposal = _request_or_404(request, pk)
    recyclers = organizations_with_permission(request.user, Permission.DISPOSAL_QUOTE)
    accepted = disposal.quotes.filter(status=QuoteStatus.ACCEPTED).first()
    certificate = getattr(disposal, "certificate", None)
    return render(
        request,
        "recycling/request_detail.html",
        {
            "disposal": disposal,
            "quotes": disposal.quotes.select_related("recycler"),
            "is_owner": has_org_permission(request.user, disposal.owner, Permission.LISTING_MANAGE),
            "can_quote": bool(recyclers) and disposal.status in ("requested", "quoted"),
            "can_complete": accepted is not None
            and accepted.recycler in recyclers
            and disposal.status == "accepted",
            "quote_form": QuoteForm(),
            "completion_form": CompletionForm(),
            "materials": MaterialFormSet(),
            "certificate": certificate,
            # The public page anyone holding the certificate (or its QR code) can check.
            "verify_url": verify_path(certificate) if certificate is not None else "",
            "can_revoke": certificate is not None
            and services.can_revoke_disposal_certificate(request.user, certificate),
            "revocation_form": RevocationForm(),
        },
    )


@login_required
@require_POST
def quote_submit(request: HttpRequest, pk: int) -> HttpResponse:
    disposal = _request_or_404(request, pk)
    form = QuoteForm(request.POST)
    recycler = next(
        iter(organizations_with_permission(request.user, Permission.DISPOSAL_QUOTE)), None
    )
    if not form.is_valid() or recycler is None:
        messages.error(request, _("请填写有效的报价。"))
        return redirect("recycling:request_detail", pk=pk)
    try:
        services.disposal_quote_submit(
            request=disposal, recycler=recycler, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("报价已提交。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("recycling:request_detail", pk=pk)


@login_required
@require_POST
def quote_accept(request: HttpRequest, pk: int) -> HttpResponse:
    quote = get_object_or_404(DisposalQuote, pk=pk)
    _request_or_404(request, quote.request_id)
    try:
        services.disposal_quote_accept(quote=quote, actor=request.user)
        messages.success(request, _("已选定回收企业。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("recycling:request_detail", pk=quote.request_id)


@login_required
@require_POST
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    disposal = _request_or_404(request, pk)
    try:
        services.disposal_request_cancel(request=disposal, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("recycling:request_detail", pk=pk)


def _completion_problems(form: CompletionForm, materials) -> str:
    """One message naming each field to fix: the date, then every material row by number."""
    parts = [_("请检查拆解日期和材料清单。")]
    for name, errors in form.errors.items():
        parts.append(f"{form.fields[name].label}：{' '.join(errors)}")
    for row, line in enumerate(materials, start=1):
        for name, errors in line.errors.items():
            label = line.fields[name].label
            parts.append(_("第 %(row)s 行") % {"row": row} + f" {label}：{' '.join(errors)}")
    parts.extend(materials.non_form_errors())
    return " ".join(parts)


@login_required
@require_POST
def request_complete(request: HttpRequest, pk: int) -> HttpResponse:
    disposal = _request_or_404(request, pk)
    form = CompletionForm(request.POST)
    materials = MaterialFormSet(request.POST)
    if not (form.is_valid() and materials.is_valid()):
        messages.error(request, _completion_problems(form, materials))
        return redirect("recycling:request_detail", pk=pk)
    lines = [services.MaterialInput(**row) for row in materials.cleaned_data if row]
    try:
        services.disposal_complete(
            request=disposal,
            actor=request.user,
            materials=lines,
            completed_on=form.cleaned_data["completed_on"],
        )
        messages.success(request, _("拆解已完成，证书已签发。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("recycling:request_detail", pk=pk)


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    disposal = _request_or_404(request, pk)
    certificate = getattr(disposal, "certificate", None)
    if certificate is None:
        raise Http404
    form = RevocationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤销原因。"))
        return redirect("recycling:request_detail", pk=pk)
    if not confirmed(request):
        return redirect("recycling:request_detail", pk=pk)
    try:
        services.disposal_certificate_revoke(
            certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("证书已撤销。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("recycling:request_detail", pk=pk)
