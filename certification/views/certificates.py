"""Remanufacturing certificates: drafting, issuing, PDF, revocation and corrections."""

from dataclasses import fields as dc_fields

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import Permission, organizations_with_permission
from certification import selectors
from certification.documents import REMAN_CERTIFICATE
from certification.forms import (
    CertificateForm,
    PartForm,
    ReasonForm,
    StageForm,
    apply_domain_error,
)
from certification.models import (
    RemanPart,
    RemanStage,
)
from certification.services import certificates
from certification.services.certificates import can_revoke_certificate
from certification.views.reports import _labelled
from certification.views.verification import _document_context, _linked_report_path, _pdf_response
from core.confirm import confirmed
from core.errors import DomainError
from core.pdf import qr_data_uri
from marketplace.models import Machine

# --- remanufacturing certificates ---------------------------------------------------------------


def _certificate_or_404(request: HttpRequest, pk: int):
    certificate = selectors.certificate_get_for_user(certificate_id=pk, user=request.user)
    if certificate is None:
        raise Http404
    return certificate


def _machine_reports(machine: Machine):
    """The machine's submitted inspection reports a certificate may rest on."""
    return (
        selectors.InspectionReport.objects.filter(machine=machine, status="submitted")
        .select_related("certifier")
        .order_by("-submitted_at", "-id")
    )


def _certificate_labels(form: CertificateForm) -> dict[str, str]:
    labels = {name: str(field.label) for name, field in form.fields.items()}
    labels["parts"] = _("零件清单")
    for value, label in RemanStage.choices:
        labels[f"stage_{value}"] = _("工序：%(stage)s") % {"stage": label}
    return labels


def _certificate_input(form: CertificateForm) -> certificates.RemanCertificateInput:
    nullable = {"warranty_months", "valid_from", "valid_until", "inspection_report"}
    data = {
        name: value if value is not None or name in nullable else ""
        for name, value in form.cleaned_data.items()
    }
    return certificates.RemanCertificateInput(**data)


@login_required
def certificate_create(request: HttpRequest, machine_id: int) -> HttpResponse:
    machine = get_object_or_404(
        Machine.objects.select_related("brand", "equipment_model"), pk=machine_id
    )
    reports = _machine_reports(machine)
    report_id = request.GET.get("report", "")
    chosen = reports.filter(pk=report_id).first() if report_id.isdigit() else None
    form = CertificateForm(
        request.POST or None, reports=reports, initial={"inspection_report": chosen}
    )
    if request.method == "POST" and not form.is_valid():
        form.add_error(None, _("请更正下面标出的错误。"))
    if request.method == "POST" and form.is_valid():
        certifier = next(
            iter(organizations_with_permission(request.user, Permission.CERTIFICATE_ISSUE)), None
        )
        try:
            if certifier is None:
                raise DomainError(_("您没有执行此操作的权限。"))
            certificate = certificates.reman_certificate_create(
                machine=machine,
                certifier=certifier,
                actor=request.user,
                data=_certificate_input(form),
            )
        except DomainError as exc:
            apply_domain_error(form, exc, _certificate_labels(form))
        else:
            return redirect("certification:certificate_edit", pk=certificate.pk)
    return render(
        request, "certification/certificate_form.html", {"form": form, "machine": machine}
    )


@login_required
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate_or_404(request, pk)
    context = {
        "certificate": certificate,
        "can_revoke": can_revoke_certificate(request.user, certificate),
        "reason_form": ReasonForm(),
        "linked_report_path": _linked_report_path(certificate),
    }
    if certificate.number:
        context.update(_document_context(certificate, request))
        context["qr"] = qr_data_uri(context["verify_url"])
    return render(request, "certification/certificate_detail.html", context)


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate_or_404(request, pk)
    if not certificate.number:
        raise Http404
    return _pdf_response(REMAN_CERTIFICATE, certificate, request)


@login_required
def certificate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate_or_404(request, pk)
    if certificate.number:
        return redirect("certification:certificate_detail", pk=pk)
    action = request.POST.get("action", "")
    initial = {
        f.name: getattr(certificate, f.name) for f in dc_fields(certificates.RemanCertificateInput)
    }
    form = CertificateForm(
        request.POST if action == "save" else None,
        initial=initial,
        reports=_machine_reports(certificate.machine),
    )
    stage_form = StageForm(request.POST if action == "stage" else None)
    part_form = PartForm(request.POST if action == "part" else None)
    issue_form = forms.Form({})  # carries refusals of the issue and remove-part actions
    labels = _certificate_labels(form)
    bound = {"save": form, "stage": stage_form, "part": part_form}.get(action, issue_form)
    if bound is not None and not bound.is_valid():
        bound.add_error(None, _("请更正下面标出的错误。"))
    try:
        if action == "save" and form.is_valid():
            certificates.reman_certificate_update(
                certificate=certificate, actor=request.user, data=_certificate_input(form)
            )
            return redirect("certification:certificate_edit", pk=pk)
        if action == "stage" and stage_form.is_valid():
            certificates.reman_stage_set(
                certificate=certificate, actor=request.user, **stage_form.cleaned_data
            )
            return redirect("certification:certificate_edit", pk=pk)
        if action == "part" and part_form.is_valid():
            certificates.reman_part_add(
                certificate=certificate, actor=request.user, **part_form.cleaned_data
            )
            return redirect("certification:certificate_edit", pk=pk)
        if action == "remove_part":
            part = get_object_or_404(
                RemanPart, pk=request.POST.get("part"), certificate=certificate
            )
            certificates.reman_part_remove(part=part, actor=request.user)
            return redirect("certification:certificate_edit", pk=pk)
        if action == "issue":
            certificates.reman_certificate_issue(certificate=certificate, actor=request.user)
            messages.success(request, _("证书已签发。"))
            return redirect("certification:certificate_detail", pk=pk)
    except DomainError as exc:
        apply_domain_error(bound or form, exc, labels)
    return render(
        request,
        "certification/certificate_edit.html",
        {
            "certificate": certificate,
            "form": form,
            "stage_form": stage_form,
            "part_form": part_form,
            "stages": RemanStage.choices,
            "missing": _labelled(certificates.certificate_missing_fields(certificate), labels),
            "issue_form": issue_form,
        },
        status=400 if any(f.errors for f in (form, stage_form, part_form, issue_form)) else 200,
    )


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate_or_404(request, pk)
    if not confirmed(request):
        return redirect("certification:certificate_detail", pk=pk)
    try:
        certificates.reman_certificate_revoke(
            certificate=certificate, actor=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("证书已撤销。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("certification:certificate_detail", pk=pk)


@login_required
@require_POST
def certificate_correct(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate_or_404(request, pk)
    try:
        draft = certificates.reman_certificate_correct(certificate=certificate, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("certification:certificate_detail", pk=pk)
    return redirect("certification:certificate_edit", pk=draft.pk)
