"""HTML views: parse input, call a selector or service, render. Services check permissions.

One module per page group: :mod:`.home`, :mod:`.verification` (public), :mod:`.passport`,
:mod:`.reports` (requests and reports), :mod:`.certificates`."""

from certification.views.certificates import (
    certificate_correct,
    certificate_create,
    certificate_detail,
    certificate_edit,
    certificate_pdf,
    certificate_revoke,
)
from certification.views.home import (
    grading_rules,
    index,
)
from certification.views.passport import (
    passport,
    passport_json,
)
from certification.views.reports import (
    report_correct,
    report_detail,
    report_edit,
    report_pdf,
    report_photo_add,
    report_start,
    request_accept,
    request_cancel,
    request_create,
    request_decline,
)
from certification.views.verification import (
    VerificationFailed,
    _pdf_photos,
    verify_document,
    verify_document_pdf,
    verify_lookup,
)

__all__ = [
    "VerificationFailed",
    "_pdf_photos",
    "certificate_correct",
    "certificate_create",
    "certificate_detail",
    "certificate_edit",
    "certificate_pdf",
    "certificate_revoke",
    "grading_rules",
    "index",
    "passport",
    "passport_json",
    "report_correct",
    "report_detail",
    "report_edit",
    "report_pdf",
    "report_photo_add",
    "report_start",
    "request_accept",
    "request_cancel",
    "request_create",
    "request_decline",
    "verify_document",
    "verify_document_pdf",
    "verify_lookup",
]
