"""Public verification pages of every registered document kind (core.documents) and the
documents' PDFs; a mistyped, tampered or unknown code gets the "verification failed" page."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from certification.grading import REASON_LABELS
from certification.inspection_templates import template_of
from certification.report_display import photo_label, report_display
from certification.verification import find_verified_document, verification_code, verify_path
from certification.views.home import _verify_lookup_url
from core.documents import DocumentKind
from core.pdf import image_data_uri, qr_data_uri, render_pdf
from core.urls_absolute import absolute_url

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
