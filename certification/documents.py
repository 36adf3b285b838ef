"""Certification's public documents, registered in ``settings.VERIFIABLE_DOCUMENTS``.

Numbering and codes are core.documents' mechanism; what each document certifies is
``certification.verification``.
"""

from core.documents import DocumentKind

REPORT_PREFIX = "IR"
REMAN_CERTIFICATE_PREFIX = "RC"

INSPECTION_REPORT = DocumentKind(
    prefix=REPORT_PREFIX,
    model="certification.InspectionReport",
    content="certification.verification.report_content",
    statuses=("submitted",),
    valid_statuses=("submitted",),
    template="certification/verify_report.html",
    pdf_template="certification/pdf/report.html",
)
REMAN_CERTIFICATE = DocumentKind(
    prefix=REMAN_CERTIFICATE_PREFIX,
    model="certification.RemanCertificate",
    content="certification.verification.reman_certificate_content",
    statuses=("issued", "revoked"),
    valid_statuses=("issued",),
    template="certification/verify_certificate.html",
    pdf_template="certification/pdf/certificate.html",
)
