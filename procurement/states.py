"""The request's state machine: which status may follow which (one table, one predicate)."""

from procurement.models import RequestForQuotation, RfqStatus

S = RfqStatus

RFQ_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.PUBLISHED, S.CANCELLED},
    S.PUBLISHED: {S.CLOSED, S.CANCELLED},
    S.CLOSED: {S.OPENED, S.FAILED, S.CANCELLED},
    S.OPENED: {S.EVALUATING, S.PUBLICITY, S.FAILED, S.CANCELLED},
    S.EVALUATING: {S.PUBLICITY, S.FAILED, S.CANCELLED},
    S.PUBLICITY: {S.AWARDED},
    S.AWARDED: set(),
    S.CANCELLED: set(),
    S.FAILED: set(),
}

# Prices may leave the service layer only in these states (after a witnessed opening).
REVEALED_STATUSES = frozenset({S.OPENED, S.EVALUATING, S.PUBLICITY, S.AWARDED})
# The buyer may still change the request.
AMENDABLE_STATUSES = frozenset({S.DRAFT, S.PUBLISHED})
REISSUABLE_STATUSES = frozenset({S.FAILED, S.CANCELLED})


def can_transition(rfq: RequestForQuotation, to_status: str) -> bool:
    return to_status in RFQ_TRANSITIONS.get(rfq.status, set())


def prices_revealed(rfq: RequestForQuotation) -> bool:
    return rfq.status in REVEALED_STATUSES
