"""Error codes the payments services raise (``DomainError.code``), one enum for the app so
API clients and tests match on names that cannot drift."""

from enum import StrEnum


class PaymentsErrorCode(StrEnum):
    AMOUNT_MISMATCH = "amount_mismatch"
    ALREADY_RECONCILED = "already_reconciled"
    CARD_UNAVAILABLE = "card_unavailable"
    CHARGE_LIMIT_EXCEEDED = "charge_limit_exceeded"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_SIGNATURE = "invalid_signature"
    MALFORMED_EVENT = "malformed_event"
    METHOD_UNAVAILABLE = "method_unavailable"
    NOTHING_DUE = "nothing_due"
    REFERENCE_UNKNOWN = "reference_unknown"
    UNKNOWN_PAYMENT_KIND = "unknown_payment_kind"
