"""Error codes the procurement services raise (``DomainError.code``)."""

from enum import StrEnum


class ProcurementErrorCode(StrEnum):
    INVALID = "invalid"
    INVALID_TRANSITION = "invalid_transition"
    NO_BUYER_ORGANIZATION = "no_buyer_organization"
    NO_SUPPLIER_ORGANIZATION = "no_supplier_organization"
    NOT_A_SUPPLIER = "not_a_supplier"
    OWN_REQUEST = "own_request"
    NOT_INVITED = "not_invited"
    NOT_ACCEPTING_QUOTES = "not_accepting_quotes"
    DEADLINE_PASSED = "deadline_passed"
    DEADLINE_NOT_REACHED = "deadline_not_reached"
    DEADLINE_TOO_SOON = "deadline_too_soon"
    NOT_OPENED = "not_opened"
    NOT_VISIBLE = "not_visible"
    QUESTIONS_CLOSED = "questions_closed"
    ALREADY_ANSWERED = "already_answered"
