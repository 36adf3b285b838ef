"""Writes of the leasing app: one function per use case, permissions checked inside.

Split by entity: ``products`` (lessors' offers), ``applications`` (the review state
machine, documents, pre-approvals, sale-and-leaseback requests) and ``contracts``
(contract start with the registry reference, encumbrance and its release).
"""

from leasing.services.applications import (
    ApprovalTerms,
    application_accept,
    application_approve,
    application_decline,
    application_document_add,
    application_request_info,
    application_resubmit,
    application_submit,
    application_withdraw,
    can_review_application,
    preapproval_request,
    sale_leaseback_request,
)
from leasing.services.contracts import contract_release, contract_start
from leasing.services.products import (
    ProductInput,
    RateBandInput,
    product_create,
    product_set_active,
    product_update,
)

__all__ = [
    "ApprovalTerms",
    "ProductInput",
    "RateBandInput",
    "application_accept",
    "application_approve",
    "application_decline",
    "application_document_add",
    "application_request_info",
    "application_resubmit",
    "application_submit",
    "application_withdraw",
    "can_review_application",
    "contract_release",
    "contract_start",
    "preapproval_request",
    "product_create",
    "product_set_active",
    "product_update",
    "sale_leaseback_request",
]
