"""Demo data of the procurement app, called by ``manage.py seed_demo`` after the marketplace
data: requests for quotation from the demo buyer to the demo dealers, one in each state a
visitor should see (draft, published with sealed quotes, opened with a comparison, in
publicity, awarded, failed, cancelled).

Idempotent: nothing is created when the demo requests exist. Everything goes through the
real services; only the passing of time (the deadline, the end of publicity) is simulated by
moving those dates into the past, as the scheduled task would find them.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from marketplace.models import Category
from procurement import services
from procurement.models import Method, Quote, RequestForQuotation, Visibility

DEMO_MARK = "（演示）"
# (title, method, end state); each needs a different demo request. Every line asks for
# excavators (the demo catalogue category the seeder uses), so the titles say so.
DEMO_REQUESTS = (
    ("路面项目挖掘机两台（演示）", Method.INQUIRY, "draft"),
    ("城区改造挖掘机两台（演示）", Method.NEGOTIATION, "published"),
    ("高速养护挖掘机两台（演示）", Method.NEGOTIATION, "opened"),
    ("河道治理挖掘机两台（演示）", Method.NEGOTIATION, "publicity"),
    ("园区平整挖掘机两台（演示）", Method.NEGOTIATION, "awarded"),
    ("隧道工程挖掘机两台（演示）", Method.INQUIRY, "failed"),
    ("站场建设挖掘机两台（演示）", Method.NEGOTIATION, "cancelled"),
)
PRICES = (Decimal("468000"), Decimal("455000"))


def _actors() -> tuple[User, list[tuple]] | None:
    buyer = User.objects.filter(username="buyer").first()
    dealers = [User.objects.filter(username=name).first() for name in ("dealer", "dealer2")]
    if buyer is None or buyer.organization is None or None in dealers:
        return None
    return buyer, [(user.organization, user) for user in dealers]


def _category() -> Category | None:
    return Category.objects.filter(slug="excavator").first() or Category.objects.first()


def _past(rfq: RequestForQuotation, **fields) -> RequestForQuotation:
    """Simulate the passing of time: the given dates one minute ago."""
    moment = timezone.now() - dt.timedelta(minutes=1)
    RequestForQuotation.objects.filter(pk=rfq.pk).update(**dict.fromkeys(fields, moment))
    rfq.refresh_from_db()
    return rfq


def _one(title, method, state, buyer, suppliers, category) -> RequestForQuotation:
    rfq = services.rfq_create(
        buyer=buyer.organization,
        actor=buyer,
        data=services.RfqInput(
            title=title,
            method=method,
            visibility=Visibility.INVITED,
            invited_organizations=[org.pk for org, _user in suppliers],
            deadline=timezone.now() + dt.timedelta(days=7),
            description="模拟数据：演示集成采购",
            lines=[
                services.RfqLineInput(
                    category=category.slug,
                    quantity=2,
                    conditions=["used", "remanufactured"],
                    delivery_city="湘潭市",
                    specification="模拟数据：机龄不超过五年，附检测报告",
                )
            ],
        ),
    )
    if state == "draft":
        return rfq
    rfq = services.rfq_publish(rfq=rfq, actor=buyer)
    if state == "cancelled":
        return services.rfq_cancel(rfq=rfq, actor=buyer, reason="模拟数据：项目延期")
    line = rfq.lines.get()
    for (org, user), price in zip(suppliers, PRICES, strict=True):
        services.quote_submit(
            rfq=rfq,
            supplier=org,
            actor=user,
            lines=[
                services.QuoteLineInput(
                    rfq_line=line.pk,
                    unit_price=price,
                    quantity=2,
                    lead_time_days=10,
                    warranty_months=6,
                )
            ],
        )
    if state == "published":
        return rfq
    rfq = services.rfq_open(rfq=_past(rfq, deadline=True), actor=buyer)
    if state in {"opened", "failed"}:
        return rfq
    cheapest = Quote.objects.filter(rfq=rfq, is_active=True).order_by("pk").last()
    rfq = services.rfq_award(
        rfq=rfq,
        actor=buyer,
        awards=[services.AwardInput(rfq_line=line.pk, quote=cheapest.pk, quantity=2)],
    )
    if state == "awarded":
        _past(rfq, publicity_ends_at=True)
        services.rfq_finalize_due()
    return rfq


def seed(*, log: Callable[[str], None]) -> None:
    if RequestForQuotation.objects.filter(title__endswith=DEMO_MARK).exists():
        log("procurement: demo requests exist, nothing to do")
        return
    actors = _actors()
    category = _category()
    if actors is None or category is None:
        log(
            "procurement: demo buyer, dealers or categories missing "
            "(run the marketplace demo first), skipped"
        )
        return
    buyer, suppliers = actors
    with transaction.atomic():
        for title, method, state in DEMO_REQUESTS:
            _one(title, method, state, buyer, suppliers, category)
    log(f"procurement: {len(DEMO_REQUESTS)} demo requests")
