"""Every write of the procurement app, one function per use case.

Each transition locks the request (``lock_objects.rfq_lock``), checks the actor's permission
and the source state against ``states.RFQ_TRANSITIONS``, saves with ``update_fields`` and
writes an ``RfqEvent`` in the same transaction. Quotes are written only under the request's
lock (lock order: request, then quotes). Refusals raise a ``DomainError`` before anything is
written, so a refused call changes nothing.
"""

from procurement.services.common import (
    AwardInput,
    QuoteLineInput,
    RfqInput,
    RfqLineInput,
)
from procurement.services.opening import (
    rfq_award,
    rfq_cancel,
    rfq_close_due,
    rfq_evaluate,
    rfq_finalize_due,
    rfq_open,
    rfq_reissue,
)
from procurement.services.quotes import question_answer, question_ask, quote_submit
from procurement.services.requests import rfq_amend, rfq_create, rfq_publish

__all__ = [
    "AwardInput",
    "QuoteLineInput",
    "RfqInput",
    "RfqLineInput",
    "question_answer",
    "question_ask",
    "quote_submit",
    "rfq_amend",
    "rfq_award",
    "rfq_cancel",
    "rfq_close_due",
    "rfq_create",
    "rfq_evaluate",
    "rfq_finalize_due",
    "rfq_open",
    "rfq_publish",
    "rfq_reissue",
]
