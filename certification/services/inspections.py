"""Inspection requests and reports (the names callers use, from three modules).

Requests: requested → accepted → completed, or declined / cancelled (``REQUEST_TRANSITIONS``,
:mod:`.inspection_requests`). Reports: draft → submitted, nothing after; drafts are
:mod:`.inspection_drafts`, submission and corrections :mod:`.inspection_submission`."""

from certification.services.inspection_drafts import (
    ReportInput,
    inspection_item_set,
    inspection_photo_add,
    inspection_report_start,
    inspection_report_update,
)
from certification.services.inspection_requests import (
    REQUEST_TRANSITIONS,
    R,
    can_request_inspection,
    inspection_request_accept,
    inspection_request_cancel,
    inspection_request_create,
    inspection_request_decline,
)
from certification.services.inspection_submission import (
    inspection_report_correct,
    inspection_report_submit,
    report_grade_inputs,
    report_hour_rollback,
    report_missing_fields,
)

__all__ = [
    "REQUEST_TRANSITIONS",
    "R",
    "ReportInput",
    "can_request_inspection",
    "inspection_item_set",
    "inspection_photo_add",
    "inspection_report_correct",
    "inspection_report_start",
    "inspection_report_submit",
    "inspection_report_update",
    "inspection_request_accept",
    "inspection_request_cancel",
    "inspection_request_create",
    "inspection_request_decline",
    "report_grade_inputs",
    "report_hour_rollback",
    "report_missing_fields",
]
