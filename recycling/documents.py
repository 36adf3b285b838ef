"""Recycling's public document, registered in ``settings.VERIFIABLE_DOCUMENTS``.

Numbering and codes are core.documents' mechanism; what a disposal certificate certifies is
``recycling.verification``.
"""

from core.documents import DocumentKind

DISPOSAL_CERTIFICATE_PREFIX = "DC"

DISPOSAL_CERTIFICATE = DocumentKind(
    prefix=DISPOSAL_CERTIFICATE_PREFIX,
    model="recycling.DisposalCertificate",
    content="recycling.verification.disposal_certificate_content",
    statuses=("issued", "revoked"),
    valid_statuses=("issued",),
    template="recycling/verify_certificate.html",
    pdf_template="recycling/pdf/certificate.html",
)
