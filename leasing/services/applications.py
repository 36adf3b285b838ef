"""Lease applications: submission, the lessor's review state machine, documents (the names
callers use, from :mod:`.application_access`, :mod:`.application_submission` and
:mod:`.application_review`)."""

from leasing.services.application_access import (
    DEFAULT_VALIDITY,
    DOCUMENT_STATUSES,
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENTS,
    S,
    can_act_as_applicant,
    can_review_application,
    locked_application,
    notify_applicant,
    notify_lessor,
    require_application_permission,
)
from leasing.services.application_review import (
    ApprovalTerms,
    application_accept,
    application_approve,
    application_decline,
    application_request_info,
    application_resubmit,
    application_withdraw,
    missing_documents,
)
from leasing.services.application_submission import (
    application_document_add,
    application_submit,
    preapproval_request,
    sale_leaseback_request,
)

__all__ = [
    "DEFAULT_VALIDITY",
    "DOCUMENT_STATUSES",
    "MAX_DOCUMENTS",
    "MAX_DOCUMENT_BYTES",
    "ApprovalTerms",
    "S",
    "application_accept",
    "application_approve",
    "application_decline",
    "application_document_add",
    "application_request_info",
    "application_resubmit",
    "application_submit",
    "application_withdraw",
    "can_act_as_applicant",
    "can_review_application",
    "locked_application",
    "missing_documents",
    "notify_applicant",
    "notify_lessor",
    "preapproval_request",
    "require_application_permission",
    "sale_leaseback_request",
]
