"""Row locks for procurement writes.

Lock order inside procurement: RequestForQuotation, then its Quotes (ascending pk). A quote
is only ever written while its request is locked, so submitting, opening and awarding
serialise on the request row. Procurement locks no other app's rows.
"""

from django.db.models import QuerySet

from procurement.models import Quote, RequestForQuotation


def rfq_lock(pk: int) -> RequestForQuotation:
    return (
        RequestForQuotation.objects.select_for_update(of=("self",))
        .select_related("buyer")
        .get(pk=pk)
    )


def quotes_lock(rfq_id: int, *, active_only: bool = True) -> QuerySet[Quote]:
    queryset = Quote.objects.select_for_update(of=("self",)).filter(rfq_id=rfq_id)
    if active_only:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("pk")
