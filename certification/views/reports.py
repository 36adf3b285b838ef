"""Inspection requests and reports: requesting, accepting, the worksheet, photos, PDF and
corrections."""

from dataclasses import fields as dc_fields

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organization, OrganizationKind
from accounts.permissions import Permission, organizations_with_permission
from certification import selectors
from certification.documents import INSPECTION_REPORT
from certification.forms import (
    InspectionRequestForm,
    ItemForm,
    PhotoForm,
    ReportForm,
    apply_domain_error,
)
from certification.grading import REASON_LABELS
from certification.inspection_templates import template_of
from certification.models import (
    InspectionRequest,
)
from certification.report_display import report_display, report_field_labels
from certification.services import inspections
from certification.views.verification import _document_context, _pdf_response
from core.errors import DomainError
from core.pdf import qr_data_uri
from marketplace.models import Machine

# --- inspection requests ------------------------------------------------------------------------


@login_required
def request_create(request: HttpRequest, machine_id: int) -> HttpResponse:
    machine = get_object_or_404(
        Machine.objects.select_related("brand", "equipment_model"), pk=machine_id
    )
    requesters = organizations_with_permission(request.user, Permission.INSPECTION_REQUEST)
    requester = next((o for o in requesters if o.pk == machine.owner_id), None) or next(
        iter(requesters), None
    )
    certifiers = Organization.objects.filter(kind=OrganizationKind.CERTIFIER).order_by("name")
    form = InspectionRequestForm(request.POST or None, certifiers=certifiers)
    if request.method == "POST" and form.is_valid():
        try:
            if requester is None:
                raise DomainError(_("您没有执行此操作的权限。"))
            inspections.inspection_request_create(
                machine=machine,
                requester=requester,
                certifier=form.cleaned_data["certifier"],
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("检测申请已提交。"))
            return redirect("certification:index")
    return render(
        request,
        "certification/request_form.html",
        {
            "form": form,
            "machine": machine,
            "buyer_request": requester is not None and requester.pk != machine.owner_id,
        },
    )


def _request_action(request: HttpRequest, pk: int, action) -> HttpResponse:
    inspection_request = get_object_or_404(InspectionRequest, pk=pk)
    try:
        result = action(inspection_request)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("certification:index")
    if hasattr(result, "template_key"):
        return redirect("certification:report_edit", pk=result.pk)
    return redirect("certification:index")


@login_required
@require_POST
def request_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_action(
        request, pk, lambda r: inspections.inspection_request_accept(request=r, actor=request.user)
    )


@login_required
@require_POST
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _request_action(
        request,
        pk,
        lambda r: inspections.inspection_request_decline(
            request=r, actor=request.user, reason=reason
        ),
    )


@login_required
@require_POST
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_action(
        request, pk, lambda r: inspections.inspection_request_cancel(request=r, actor=request.user)
    )


# --- reports ------------------------------------------------------------------------------------


def _report_or_404(request: HttpRequest, pk: int):
    report = selectors.report_get_for_user(report_id=pk, user=request.user)
    if report is None:
        raise Http404
    return report


@login_required
@require_POST
def report_start(request: HttpRequest, machine_id: int) -> HttpResponse:
    machine = get_object_or_404(Machine, pk=machine_id)
    certifier = next(iter(selectors.certifier_organizations(request.user)), None)
    try:
        report = inspections.inspection_report_start(
            machine=machine, certifier=certifier, actor=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("certification:index")
    return redirect("certification:report_edit", pk=report.pk)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    context = {
        "report": report,
        "reasons": [REASON_LABELS.get(r, r) for r in report.grade_reasons],
        "can_write": report.certifier in selectors.certifier_organizations(request.user),
        "display": report_display(report),
    }
    if report.is_submitted:
        context.update(_document_context(report, request))
        context["qr"] = qr_data_uri(context["verify_url"])
    return render(request, "certification/report_detail.html", context)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    if not report.is_submitted:
        raise Http404
    return _pdf_response(INSPECTION_REPORT, report, request)


def _report_forms(report, template, data=None):
    initial = {f.name: getattr(report, f.name) for f in dc_fields(inspections.ReportInput)}
    report_form = ReportForm(data, initial=initial, template=template)
    item_forms = []
    for item in report.items.all():
        entry = template.worksheet_for(item.system)
        if entry is None:
            continue
        initial = {
            "rating": item.rating,
            "wear_percent": item.wear_percent,
            "comment": item.comment,
            "defects": item.defects,
        }
        item_forms.append((item, ItemForm(data, prefix=item.system, initial=initial, entry=entry)))
    return report_form, item_forms


def _photo_status(report, template) -> list[tuple[str, bool]]:
    covered = {photo.angle or photo.system for photo in report.photos.all()}
    return [(_("小时表"), bool(report.hour_meter_photo))] + [
        (str(angle.label), angle.key in covered) for angle in template.photo_angles
    ]


def _labelled(errors: dict, labels: dict) -> list[tuple[str, list]]:
    return [(labels.get(name, name), messages) for name, messages in errors.items()]


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    if report.is_submitted:
        return redirect("certification:report_detail", pk=pk)
    template = template_of(report)
    report_form, item_forms = _report_forms(report, template, request.POST or None)
    labels = {name: str(field.label) for name, field in report_form.fields.items()}
    labels |= report_field_labels(template)
    if request.method == "POST":
        items_valid = [f.is_valid() for _i, f in item_forms]  # every form, to show every error
        if not (report_form.is_valid() and all(items_valid)):
            report_form.add_error(None, _("请更正下面标出的错误。"))
        else:
            try:
                _save_report(request, report, report_form, item_forms)
                if "submit" in request.POST:
                    inspections.inspection_report_submit(report=report, actor=request.user)
                    messages.success(request, _("检测报告已提交。"))
                    return redirect("certification:report_detail", pk=pk)
                messages.success(request, _("草稿已保存。"))
                return redirect("certification:report_edit", pk=pk)
            except DomainError as exc:
                apply_domain_error(report_form, exc, labels)
        report.refresh_from_db()
    rollback = inspections.report_hour_rollback(report)
    return render(
        request,
        "certification/report_edit.html",
        {
            "report": report,
            "form": report_form,
            "item_forms": item_forms,
            "photo_form": PhotoForm(template=template),
            "template": template,
            "display": report_display(report),
            "missing": _labelled(inspections.report_missing_fields(report), labels),
            "rollback": rollback,
            "photo_status": _photo_status(report, template),
        },
        status=400 if report_form.errors else 200,
    )


def _save_report(request, report, report_form, item_forms) -> None:
    """Save header and worksheet in one transaction: a refused line saves nothing."""
    with transaction.atomic():
        inspections.inspection_report_update(
            report=report,
            actor=request.user,
            data=inspections.ReportInput(**report_form.report_data()),
        )
        for item, form in item_forms:
            try:
                inspections.inspection_item_set(
                    report=report,
                    actor=request.user,
                    system=item.system,
                    rating=form.cleaned_data["rating"],
                    wear_percent=form.cleaned_data.get("wear_percent"),
                    comment=form.cleaned_data["comment"],
                    defects=form.cleaned_data["defects"],
                )
            except DomainError as exc:
                for name, errors in exc.fields.items():
                    if name in form.fields:
                        for error in errors:
                            form.add_error(name, error)
                raise DomainError(
                    exc.message,
                    code=exc.code,
                    fields={f"item_{item.system}": [m for v in exc.fields.values() for m in v]},
                ) from exc


@login_required
@require_POST
def report_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    form = PhotoForm(request.POST, request.FILES, template=template_of(report))
    if form.is_valid():
        try:
            inspections.inspection_photo_add(
                report=report,
                actor=request.user,
                upload=form.cleaned_data["image"],
                angle=form.cleaned_data["angle"],
                caption=form.cleaned_data["caption"],
            )
            messages.success(request, _("照片已上传。"))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
    return redirect("certification:report_edit", pk=pk)


@login_required
@require_POST
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    try:
        draft = inspections.inspection_report_correct(report=report, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("certification:report_detail", pk=pk)
    return redirect("certification:report_edit", pk=draft.pk)
