"""HTML views: parse input, call a selector or service, render. Services check permissions."""

from dataclasses import fields as dc_fields

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organization, OrganizationKind
from accounts.permissions import Permission, organizations_with_permission
from certification import selectors
from certification.charts import ChartPoint, hours_chart_svg
from certification.documents import INSPECTION_REPORT, REMAN_CERTIFICATE
from certification.forms import (
    CertificateForm,
    InspectionRequestForm,
    ItemForm,
    PartForm,
    PhotoForm,
    ReasonForm,
    ReportForm,
    StageForm,
    apply_domain_error,
)
from certification.grading import REASON_LABELS, grade_rules
from certification.inspection_templates import template_of
from certification.models import (
    InspectionRequest,
    RemanCertificate,
    RemanPart,
    RemanStage,
)
from certification.pdf import image_data_uri, qr_data_uri, render_pdf
from certification.report_display import photo_label, report_display, report_field_labels
from certification.services import certificates, inspections
from certification.services.certificates import can_revoke_certificate
from certification.verification import find_verified_document, verification_code, verify_path
from core.confirm import confirmed
from core.documents import DocumentKind
from core.errors import DomainError
from core.urls_absolute import absolute_url
from marketplace.models import HourReadingSource, Machine


def _verify_lookup_url() -> str:
    """The public lookup page, or "" while /verify/ is not mounted in the project urls."""
    try:
        return reverse("verify:lookup")
    except NoReverseMatch:
        return ""


def index(request: HttpRequest) -> HttpResponse:
    context: dict = {"verify_lookup_url": _verify_lookup_url()}
    if request.user.is_authenticated:
        context |= {
            "incoming": selectors.requests_for_certifiers(request.user)[:50],
            "outgoing": selectors.requests_of_requester(request.user)[:50],
            "reports": selectors.InspectionReport.objects.filter(
                selectors.report_visible_to(request.user)
            ).select_related("machine__brand", "machine__equipment_model")[:50],
            "certificates": RemanCertificate.objects.filter(
                selectors.certificate_visible_to(request.user)
            ).select_related("machine__brand", "machine__equipment_model")[:50],
            "is_inspector": bool(selectors.certifier_organizations(request.user)),
        }
    return render(request, "certification/index.html", context)


def grading_rules(request: HttpRequest) -> HttpResponse:
    return render(request, "certification/rules.html", {"rules": grade_rules()})


# --- public verification ------------------------------------------------------------------------


class VerificationFailed(Exception):
    """The number and code match no issued document (mistyped, tampered or unknown)."""


def _verified_or_failed(number: str, code: str):
    found = find_verified_document(number, code)
    if found is None:
        raise VerificationFailed
    return found


def _verification_failed(request: HttpRequest, number: str, code: str) -> HttpResponse:
    """A clear "verification failed" page (404): what it means and what to do next."""
    context = {"number": number, "code": code, "verify_lookup_url": _verify_lookup_url()}
    return render(request, "certification/verify_failed.html", context, status=404)


def _document_context(document, request: HttpRequest | None = None) -> dict:
    code = verification_code(document)
    path = reverse("verify:certificate", kwargs={"number": document.number, "code": code})
    return {
        "document": document,
        "code": code,
        "verify_url": absolute_url(path, request),
        "verify_path": path,
    }


def verify_lookup(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("number", "").strip().upper()
    code = request.GET.get("code", "").strip().upper()
    if number and code:
        if find_verified_document(number, code) is not None:
            return redirect("verify:certificate", number=number, code=code)
        messages.error(request, _("未找到与该编号和验证码匹配的文件。"))
    return render(request, "certification/verify_lookup.html", {"number": number, "code": code})


def verify_document(request: HttpRequest, number: str, code: str) -> HttpResponse:
    try:
        kind, document = _verified_or_failed(number, code)
    except VerificationFailed:
        return _verification_failed(request, number, code)
    context = {**_document_context(document, request), **_extra_context(kind.prefix, document)}
    return render(request, kind.template, context)


def verify_document_pdf(request: HttpRequest, number: str, code: str) -> HttpResponse:
    try:
        kind, document = _verified_or_failed(number, code)
    except VerificationFailed:
        return _verification_failed(request, number, code)
    return _pdf_response(kind, document, request)


def _extra_context(prefix: str, document) -> dict:
    if prefix == "IR":
        return {
            "reasons": [REASON_LABELS.get(r, r) for r in document.grade_reasons],
            "superseded_by": getattr(document, "next_version", None),
            "display": report_display(document),
        }
    if prefix == "RC":
        return {
            "superseded_by": getattr(document, "next_version", None),
            "linked_report_path": _linked_report_path(document),
        }
    return {}


def _linked_report_path(certificate) -> str:
    report = certificate.inspection_report
    return verify_path(report) if report is not None and report.is_submitted else ""


def _pdf_photos(prefix: str, document) -> list[dict]:
    """An inspection report's photos for its PDF: the hour meter first, then each system's."""
    if prefix != "IR":
        return []
    photos = []
    if document.hour_meter_photo:
        photos.append({"label": _("小时表"), "uri": image_data_uri(document.hour_meter_photo)})
    template = template_of(document)
    for photo in document.photos.all():
        photos.append({"label": photo_label(template, photo), "uri": image_data_uri(photo.image)})
    return [photo for photo in photos if photo["uri"]]


def _pdf_response(kind: DocumentKind, document, request: HttpRequest) -> HttpResponse:
    context = {**_document_context(document, request), **_extra_context(kind.prefix, document)}
    context["qr"] = qr_data_uri(context["verify_url"])
    context["photos"] = _pdf_photos(kind.prefix, document)
    pdf = render_pdf(kind.pdf_template, context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.number}.pdf"'
    return response


# --- passport -----------------------------------------------------------------------------------


def _passport_or_404(request: HttpRequest, pk: int):
    machine = selectors.machine_for_passport(pk)
    if machine is None:
        raise Http404
    return selectors.machine_passport(machine=machine, user=request.user)


def passport(request: HttpRequest, pk: int) -> HttpResponse:
    data = _passport_or_404(request, pk)
    labels = dict(HourReadingSource.choices)
    chart = hours_chart_svg(
        [ChartPoint(r.read_at, r.hours, r.source) for r in data.readings],
        labels={k: str(v) for k, v in labels.items()},
    )
    return render(request, "certification/passport.html", {"p": data, "chart": chart})


def passport_json(request: HttpRequest, pk: int) -> JsonResponse:
    data = _passport_or_404(request, pk)
    response = JsonResponse(
        selectors.passport_as_dict(data), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'inline; filename="machine-{pk}-passport.json"'
    return response


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
    return render(request, "certification/request_form.html", {"form": form, "machine": machine})


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
