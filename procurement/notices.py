"""Who hears what about a request for quotation. Called inside the services' transactions;
every notification is queued after the commit.

No text here may carry a price before the opening: the buyer learns that a quote arrived and
how many there are, suppliers learn that the request opened. After the award a winner is
told its lines and a loser its rank (its own position by quoted total), never another's price.
"""

from decimal import Decimal
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Membership, User
from notifications.services import Text, notification_send, notification_texts
from procurement.models import Quote, RequestForQuotation


def _users(organization_ids) -> list[User]:
    memberships = Membership.objects.filter(organization_id__in=list(organization_ids))
    return [m.user for m in memberships.select_related("user").order_by("user_id")]


def _notify(
    users: list[User], kind: str, rfq: RequestForQuotation, title: Text, body: Text
) -> None:
    url = reverse("procurement:rfq_detail", args=[rfq.pk])
    for user in users:
        user_title, user_body = notification_texts(user, title, body)
        transaction.on_commit(
            partial(
                notification_send,
                recipient=user,
                kind=kind,
                title=user_title,
                body=user_body,
                url=url,
            )
        )


def _text(message: str, rfq: RequestForQuotation, **values) -> Text:
    """A message marked with ``gettext_noop``, translated in the recipient's language."""
    return lambda: _(message) % {"title": rfq.title, **values}


def notify_published(rfq: RequestForQuotation) -> None:
    """Invited suppliers hear of the request (an open request is found on the list page)."""
    invited = rfq.invited_organizations.values_list("pk", flat=True)
    _notify(
        _users(invited),
        "procurement.published",
        rfq,
        _text(gettext_noop("您受邀参与采购“%(title)s”"), rfq),
        _text(gettext_noop("请在截止时间前密封提交报价。"), rfq),
    )


def notify_quote_received(rfq: RequestForQuotation) -> None:
    """The buyer learns the count of active quotes, nothing of their content."""
    count = Quote.objects.filter(rfq=rfq, is_active=True).count()
    _notify(
        _users([rfq.buyer_id]),
        "procurement.quote_received",
        rfq,
        _text(gettext_noop("采购“%(title)s”收到一份报价"), rfq),
        _text(
            gettext_noop("目前共有 %(count)s 份有效报价，开标前报价保持密封。"), rfq, count=count
        ),
    )


def notify_opened(rfq: RequestForQuotation) -> None:
    suppliers = Quote.objects.filter(rfq=rfq, is_active=True).values_list("supplier_id", flat=True)
    _notify(
        _users(suppliers),
        "procurement.opened",
        rfq,
        _text(gettext_noop("采购“%(title)s”已开标"), rfq),
        _text(gettext_noop("开标记录已公布，您可以核对报价摘要。"), rfq),
    )


def _ranks(rfq: RequestForQuotation) -> dict[int, int]:
    """Supplier → rank (1 = lowest quoted total) among the active quotes."""
    totals: dict[int, Decimal] = {}
    for quote in Quote.objects.filter(rfq=rfq, is_active=True).prefetch_related("lines"):
        totals[quote.supplier_id] = sum(
            (line.unit_price * line.quantity for line in quote.lines.all()), Decimal("0")
        )
    ordered = sorted(totals, key=lambda supplier: (totals[supplier], supplier))
    return {supplier: index + 1 for index, supplier in enumerate(ordered)}


def notify_awarded(rfq: RequestForQuotation) -> None:
    """Winners are told they are award candidates; the others their rank."""
    winners = set(rfq.awards.values_list("quote__supplier_id", flat=True))
    for supplier, rank in _ranks(rfq).items():
        users = _users([supplier])
        if supplier in winners:
            _notify(
                users,
                "procurement.awarded",
                rfq,
                _text(gettext_noop("您已成为采购“%(title)s”的中标候选人"), rfq),
                _text(gettext_noop("授标结果正在公示，公示结束后生效。"), rfq),
            )
        else:
            _notify(
                users,
                "procurement.not_awarded",
                rfq,
                _text(gettext_noop("采购“%(title)s”未授予您"), rfq),
                _text(gettext_noop("您的报价总价排名第 %(rank)s。"), rfq, rank=rank),
            )
