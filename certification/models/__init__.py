"""Inspection requests and reports, remanufacturing certificates and their audit trail.

A report or certificate is a draft while its author works on it. Once submitted (reports) or
issued (certificates) its certified content never changes: the services refuse edits, the
check constraints keep submitted/issued rows complete, and a correction is a new row
whose ``previous`` points at the one it supersedes (one successor per document, enforced by
the one-to-one field). Each document carries a public number (core.documents); its
verification code is an HMAC over the certified content (see ``certification.verification``),
so the code is never stored and a row altered after issue no longer verifies.

One module per area: :mod:`.inspections`, :mod:`.reman`, :mod:`.events`."""

from certification.models.events import (
    CertificationEvent,
)
from certification.models.inspections import (
    OPEN_REQUEST_STATUSES,
    RUNNING_GEAR_SYSTEMS,
    FluidResult,
    InspectionItem,
    InspectionPhoto,
    InspectionReport,
    InspectionRequest,
    InspectionRequestStatus,
    ReportStatus,
    System,
    SystemRating,
    TestResult,
)
from certification.models.reman import (
    REUSED_DISPOSITIONS,
    CertificateStatus,
    PartDisposition,
    RemanCertificate,
    RemanPart,
    RemanStage,
    RemanStageRecord,
    RemanSubject,
)

__all__ = [
    "OPEN_REQUEST_STATUSES",
    "REUSED_DISPOSITIONS",
    "RUNNING_GEAR_SYSTEMS",
    "CertificateStatus",
    "CertificationEvent",
    "FluidResult",
    "InspectionItem",
    "InspectionPhoto",
    "InspectionReport",
    "InspectionRequest",
    "InspectionRequestStatus",
    "PartDisposition",
    "RemanCertificate",
    "RemanPart",
    "RemanStage",
    "RemanStageRecord",
    "RemanSubject",
    "ReportStatus",
    "System",
    "SystemRating",
    "TestResult",
]
