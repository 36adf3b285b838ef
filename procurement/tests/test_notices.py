"""Who is told what: publication to the invitees, the quote count to the buyer, the opening
to the suppliers, the award to winners and their rank to the others — and no price in any
notification or e-mail before the opening."""

import re

import pytest
from django.core import mail

from notifications.models import Notification
from procurement import services
from procurement.models import Quote
from procurement.tests.conftest import pass_deadline, quote

pytestmark = pytest.mark.django_db

PRICES = ("480000", "455000", "470000")
PRICE_TEXT = re.compile(r"480|455|470|¥|元")


def texts() -> list[str]:
    stored = [f"{n.title} {n.body}" for n in Notification.objects.all()]
    return stored + [f"{m.subject} {m.body}" for m in mail.outbox]


def test_no_price_is_told_before_the_opening_and_everyone_hears_their_part(
    make_rfq, buyer, suppliers, django_capture_on_commit_callbacks
):
    invited = [org.pk for org, _user in suppliers]
    with django_capture_on_commit_callbacks(execute=True):
        rfq = make_rfq(visibility="invited", invited_organizations=invited)
    assert sorted(
        Notification.objects.filter(kind="procurement.published").values_list(
            "recipient__username", flat=True
        )
    ) == ["supplier0", "supplier1", "supplier2"]
    for (org, user), price in zip(suppliers, PRICES, strict=True):
        with django_capture_on_commit_callbacks(execute=True):
            quote(rfq, org, user, price)
    received = Notification.objects.filter(kind="procurement.quote_received", recipient=buyer)
    assert received.count() == 3
    assert "3 份有效报价" in received.order_by("-id").first().body
    sealed = texts()
    assert sealed
    assert [text for text in sealed if PRICE_TEXT.search(text)] == []

    pass_deadline(rfq)
    with django_capture_on_commit_callbacks(execute=True):
        rfq = services.rfq_open(rfq=rfq, actor=buyer)
    assert Notification.objects.filter(kind="procurement.opened").count() == 3

    cheapest = Quote.objects.get(rfq=rfq, supplier=suppliers[1][0])
    with django_capture_on_commit_callbacks(execute=True):
        services.rfq_award(
            rfq=rfq,
            actor=buyer,
            awards=[
                services.AwardInput(rfq_line=rfq.lines.get().pk, quote=cheapest.pk, quantity=2)
            ],
        )
    winners = Notification.objects.filter(kind="procurement.awarded")
    assert list(winners.values_list("recipient__username", flat=True)) == ["supplier1"]
    losers = {
        n.recipient.username: n.body
        for n in Notification.objects.filter(kind="procurement.not_awarded")
    }
    assert losers == {
        "supplier0": "您的报价总价排名第 3。",
        "supplier2": "您的报价总价排名第 2。",
    }


def test_notifications_are_written_in_the_recipients_language(
    make_rfq, suppliers, django_capture_on_commit_callbacks
):
    org, user = suppliers[0]
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        make_rfq(visibility="invited", invited_organizations=[org.pk])
    notification = Notification.objects.get(recipient=user)
    assert notification.title == "You are invited to quote: “20 吨级挖掘机两台”"
    assert notification.url.startswith("/procurement/")
