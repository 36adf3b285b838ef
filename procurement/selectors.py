"""Reads of the procurement app. The sealed-quote rule lives here: before the opening no
price leaves this module — the buyer learns how many active quotes there are, a supplier
sees only its own quote, nobody else anything."""

from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Membership, Organization, User
from accounts.permissions import (
    Permission,
    has_org_permission,
    is_platform_staff,
    organizations_with_permission,
)
from core.errors import ConflictError, PermissionDeniedError
from core.money import quantize_money
from procurement.errors import ProcurementErrorCode as Code
from procurement.models import (
    Quote,
    QuoteLine,
    RequestForQuotation,
    RfqEvent,
    RfqEventKind,
    RfqQuestion,
    RfqStatus,
    Visibility,
)
from procurement.states import REVEALED_STATUSES, prices_revealed


def buyer_organization(
    user: User | None, organization_id: int | None = None
) -> Organization | None:
    """The organization the user procures for: the one named, else their first such one."""
    organizations = organizations_with_permission(user, Permission.RFQ_CREATE)
    if organization_id is not None:
        return next((org for org in organizations if org.pk == organization_id), None)
    return organizations[0] if organizations else None


def supplier_organization(
    user: User | None, organization_id: int | None = None
) -> Organization | None:
    """The organization the user quotes for: the one named, else their first quoting one."""
    organizations = organizations_with_permission(user, Permission.RFQ_RESPOND)
    if organization_id is not None:
        return next((org for org in organizations if org.pk == organization_id), None)
    return organizations[0] if organizations else None


def _member_org_ids(user: User | None) -> set[int]:
    if user is None or not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user).values_list("organization_id", flat=True))


def is_buyer_member(user: User | None, rfq: RequestForQuotation) -> bool:
    return rfq.buyer_id in _member_org_ids(user)


def can_manage(user: User | None, rfq: RequestForQuotation) -> bool:
    return has_org_permission(user, rfq.buyer, Permission.RFQ_CREATE)


def rfqs_visible_to(user: User | None) -> QuerySet[RequestForQuotation]:
    """The buyer's own requests in any state; published-or-later requests that are open, or
    to which one of the user's organizations is invited."""
    if is_platform_staff(user):
        return RequestForQuotation.objects.all()
    orgs = _member_org_ids(user)
    if not orgs:
        return RequestForQuotation.objects.none()
    public = ~Q(status=RfqStatus.DRAFT) & (
        Q(visibility=Visibility.OPEN) | Q(invited_organizations__in=orgs)
    )
    return RequestForQuotation.objects.filter(Q(buyer_id__in=orgs) | public).distinct()


def rfq_visible_to(user: User | None, rfq: RequestForQuotation) -> bool:
    return rfqs_visible_to(user).filter(pk=rfq.pk).exists()


def _line_data(line) -> dict:
    return {
        "id": line.pk,
        "position": line.position,
        "category": line.category.slug,
        "category_name": line.category.name,
        "size_class": line.size_class,
        "quantity": line.quantity,
        "conditions": line.conditions,
        "min_grade": line.min_grade,
        "max_age_years": line.max_age_years,
        "max_hours": line.max_hours,
        "delivery_city": line.delivery_city,
        "delivery_date": line.delivery_date.isoformat() if line.delivery_date else None,
        "specification": line.specification,
    }


def rfq_data(rfq: RequestForQuotation, user: User | None) -> dict:
    """The request as the user may see it (the budget only to the buyer unless published;
    the invitee list only to the buyer)."""
    buyer_side = is_buyer_member(user, rfq) or is_platform_staff(user)
    budget = rfq.budget_ceiling if (buyer_side or rfq.budget_published) else None
    data = {
        "id": rfq.pk,
        "title": rfq.title,
        "description": rfq.description,
        "buyer": rfq.buyer_id,
        "buyer_name": rfq.buyer.name,
        "method": rfq.method,
        "visibility": rfq.visibility,
        "status": rfq.status,
        "deadline": rfq.deadline.isoformat(),
        "opening_at": rfq.opening_at.isoformat() if rfq.opening_at else None,
        "budget_ceiling": str(budget) if budget is not None else None,
        "budget_published": rfq.budget_published,
        "weights": {name: str(value) for name, value in rfq.weights.items()},
        "subject_to_tendering_law": rfq.subject_to_tendering_law,
        "published_at": rfq.published_at.isoformat() if rfq.published_at else None,
        "opened_at": rfq.opened_at.isoformat() if rfq.opened_at else None,
        "publicity_ends_at": rfq.publicity_ends_at.isoformat() if rfq.publicity_ends_at else None,
        "reissued_from": rfq.reissued_from_id,
        "lines": [_line_data(line) for line in rfq.lines.select_related("category")],
        "can_manage": can_manage(user, rfq),
    }
    if rfq.status in {*REVEALED_STATUSES, RfqStatus.FAILED}:
        data["opening_record"] = opening_record(rfq)  # hashes only: suppliers verify theirs
    if buyer_side:
        data["invited_organizations"] = sorted(
            rfq.invited_organizations.values_list("pk", flat=True)
        )
    if rfq.status in {RfqStatus.PUBLICITY, RfqStatus.AWARDED}:
        data["awards"] = [
            {
                "rfq_line": award.rfq_line_id,
                "quote": award.quote_id,
                "supplier": award.quote.supplier_id,
                "supplier_name": award.quote.supplier.name,
                "quantity": award.quantity,
                "unit_price": str(award.unit_price),
            }
            for award in rfq.awards.select_related("quote__supplier")
        ]
    return data


def _quote_line_data(line: QuoteLine) -> dict:
    return {
        "id": line.pk,
        "rfq_line": line.rfq_line_id,
        "unit_price": str(line.unit_price),
        "vat_rate": str(line.vat_rate),
        "quantity": line.quantity,
        "total": str(quantize_money(line.unit_price * line.quantity)),
        "machine": line.machine_id,
        "offered_model": line.offered_model,
        "lead_time_days": line.lead_time_days,
        "warranty_months": line.warranty_months,
        "validity_days": line.validity_days,
    }


def quote_data(quote: Quote) -> dict:
    """A quote with its prices: call only for its own supplier, or after the opening."""
    lines = list(quote.lines.all())
    return {
        "id": quote.pk,
        "rfq": quote.rfq_id,
        "supplier": quote.supplier_id,
        "supplier_name": quote.supplier.name,
        "version": quote.version,
        "is_active": quote.is_active,
        "hash": quote.content_hash,
        "submitted_at": quote.submitted_at.isoformat(),
        "total": str(
            quantize_money(sum((line.unit_price * line.quantity for line in lines), Decimal("0")))
        ),
        "lines": [_quote_line_data(line) for line in lines],
    }


def _active_quotes(rfq: RequestForQuotation) -> QuerySet[Quote]:
    return (
        Quote.objects.filter(rfq=rfq, is_active=True)
        .select_related("supplier")
        .prefetch_related("lines")
        .order_by("pk")
    )


def quotes_for(rfq: RequestForQuotation, user: User | None) -> dict:
    """What the user may know of the request's quotes.

    Buyer (any member) before the opening: ``{"count": n}`` and nothing else. Buyer after the
    opening: ``{"count": n, "quotes": [...]}`` with prices. A supplier: ``{"count": 0|1,
    "quotes": [its own active quote]}`` at any time. Anyone else: a permission error."""
    if is_buyer_member(user, rfq):
        active = _active_quotes(rfq)
        if not prices_revealed(rfq):
            return {"count": active.count()}
        quotes = [quote_data(quote) for quote in active]
        return {"count": len(quotes), "quotes": quotes}
    suppliers = [org.pk for org in organizations_with_permission(user, Permission.RFQ_RESPOND)]
    if not suppliers:
        raise PermissionDeniedError(_("您无权查看这些报价。"))
    own = [quote_data(quote) for quote in _active_quotes(rfq).filter(supplier_id__in=suppliers)]
    return {"count": len(own), "quotes": own}


def supplier_versions(rfq: RequestForQuotation, supplier: Organization) -> list[dict]:
    """Every version a supplier submitted, newest last (its own history)."""
    quotes = Quote.objects.filter(rfq=rfq, supplier=supplier).select_related("supplier")
    return [quote_data(quote) for quote in quotes.prefetch_related("lines").order_by("version")]


def comparison(rfq: RequestForQuotation, user: User | None) -> dict:
    """Per line, every active quote's offer, cheapest first — for the buyer after opening."""
    if not is_buyer_member(user, rfq):
        raise PermissionDeniedError(_("只有采购方可以查看比价表。"))
    if not prices_revealed(rfq):
        raise ConflictError(_("开标前不能查看报价。"), code=Code.NOT_OPENED)
    quote_lines = (
        QuoteLine.objects.filter(quote__rfq=rfq, quote__is_active=True)
        .select_related("quote__supplier")
        .order_by("unit_price", "quote_id")
    )
    by_line: dict[int, list[dict]] = {}
    for line in quote_lines:
        by_line.setdefault(line.rfq_line_id, []).append(
            {
                "quote": line.quote_id,
                "supplier": line.quote.supplier_id,
                "supplier_name": line.quote.supplier.name,
                "unit_price": str(line.unit_price),
                "vat_rate": str(line.vat_rate),
                "quantity": line.quantity,
                "total": str(quantize_money(line.unit_price * line.quantity)),
                "lead_time_days": line.lead_time_days,
                "warranty_months": line.warranty_months,
                "validity_days": line.validity_days,
                "machine": line.machine_id,
                "offered_model": line.offered_model,
            }
        )
    return {
        "rfq": rfq.pk,
        "status": rfq.status,
        "lines": [
            {
                "rfq_line": line.pk,
                "category": line.category.slug,
                "quantity": line.quantity,
                "quotes": by_line.get(line.pk, []),
            }
            for line in rfq.lines.select_related("category")
        ],
    }


def opening_record(rfq: RequestForQuotation) -> dict | None:
    """The hashes listed at the opening (no prices), for suppliers to verify theirs."""
    event = (
        RfqEvent.objects.filter(rfq=rfq, kind__in=[RfqEventKind.OPENED, RfqEventKind.FAILED])
        .exclude(data={})
        .order_by("-id")
        .first()
    )
    if event is None:
        return None
    return {"kind": event.kind, "at": event.at.isoformat(), **event.data}


def questions_for(rfq: RequestForQuotation, user: User | None) -> list[dict]:
    """Answered questions for everyone who sees the request, without the asker; the buyer
    also sees unanswered ones, and a supplier its own."""
    own = {org.pk for org in organizations_with_permission(user, Permission.RFQ_RESPOND)}
    buyer_side = is_buyer_member(user, rfq)
    result = []
    for question in RfqQuestion.objects.filter(rfq=rfq).order_by("id"):
        mine = question.asked_by_id in own
        if question.answered_at is None and not (buyer_side or mine):
            continue
        result.append(
            {
                "id": question.pk,
                "text": question.text,
                "answer": question.answer,
                "answered_at": question.answered_at.isoformat() if question.answered_at else None,
                "mine": mine,
            }
        )
    return result
