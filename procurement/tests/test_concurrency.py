"""Race tests on PostgreSQL at the deadline: every thread has its own database connection.

Submitting and opening both lock the request row first (procurement.lock_objects: request,
then its quotes), so quotes racing each other never leave two active versions, and a quote
racing the opening is either listed in the opening record or refused — never stored after it.
"""

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from core.errors import DomainError
from procurement import selectors, services
from procurement.models import Quote, RequestForQuotation, RfqEvent, RfqEventKind, RfqStatus
from tests.races import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]
SUPPLIERS = 6


def dealers(count: int) -> list:
    result = []
    for index in range(count):
        org = OrganizationFactory(name=f"并发供应商{index}", kind=OrganizationKind.DEALER)
        result.append((org, member_of(org, Role.OWNER, username=f"race{index}")))
    return result


def submit(rfq_pk: int, org, user, price: str):
    rfq = RequestForQuotation.objects.get(pk=rfq_pk)
    line = rfq.lines.order_by("position").first()
    return services.quote_submit(
        rfq=rfq,
        supplier=org,
        actor=user,
        lines=[services.QuoteLineInput(rfq_line=line.pk, unit_price=Decimal(price), quantity=2)],
    )


def test_suppliers_submitting_and_replacing_at_once_keep_one_active_quote_each(make_rfq):
    rfq = make_rfq(deadline=timezone.now() + dt.timedelta(minutes=5))
    suppliers = dealers(SUPPLIERS)
    calls = [
        (lambda org=org, user=user, price=price: submit(rfq.pk, org, user, price))
        for org, user in suppliers
        for price in ("480000", "470000")
    ]

    results = run_together(calls)

    assert [type(result).__name__ for result in results] == ["Quote"] * (2 * SUPPLIERS)
    for org, _user in suppliers:
        versions = Quote.objects.filter(rfq=rfq, supplier=org).order_by("version")
        assert [(quote.version, quote.is_active) for quote in versions] == [(1, False), (2, True)]
    hashes = Quote.objects.filter(rfq=rfq).values_list("content_hash", flat=True)
    assert len(set(hashes)) == 2 * SUPPLIERS
    submitted = RfqEvent.objects.filter(rfq=rfq, kind=RfqEventKind.QUOTE_SUBMITTED).count()
    assert submitted == 2 * SUPPLIERS


def test_a_quote_racing_the_opening_is_listed_or_refused_never_stored_after(make_rfq, buyer):
    rfq = make_rfq(deadline=timezone.now() + dt.timedelta(seconds=3))
    (first, first_user), (second, second_user), (third, third_user) = dealers(3)
    for org, user in ((first, first_user), (second, second_user)):
        submit(rfq.pk, org, user, "455000")
    deadline = RequestForQuotation.objects.get(pk=rfq.pk).deadline

    def keep_quoting():
        """The third supplier replaces its quote as fast as it can until it is refused."""
        stored = 0
        while True:
            try:
                submit(rfq.pk, third, third_user, str(470000 - stored))
            except DomainError as error:
                return stored, error.code
            stored += 1

    def open_at_the_deadline():
        time.sleep(max((deadline - timezone.now()).total_seconds(), 0) + 0.01)
        while True:
            try:
                return services.rfq_open(
                    rfq=RequestForQuotation.objects.get(pk=rfq.pk), actor=buyer
                )
            except DomainError as error:  # the clock has not passed the deadline yet
                if error.code != "deadline_not_reached":
                    raise
                time.sleep(0.01)

    quoting, opened = run_together([keep_quoting, open_at_the_deadline], pause_after_locks=False)

    stored, refusal = quoting
    assert stored >= 1
    assert refusal == "deadline_passed"
    assert opened.status == RfqStatus.OPENED
    record = selectors.opening_record(opened)
    active = Quote.objects.filter(rfq=rfq, is_active=True).order_by("id")
    assert [(q["quote"], q["hash"]) for q in record["quotes"]] == [
        (quote.pk, quote.content_hash) for quote in active
    ]
    assert Quote.objects.filter(rfq=rfq, submitted_at__gte=deadline).count() == 0
    assert Quote.objects.filter(rfq=rfq, supplier=third).count() == stored
