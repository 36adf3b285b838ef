"""Every write of the procurement app, one function per use case.

Each transition locks the request (``lock_objects.rfq_lock``), checks the actor's permission
and the source state against ``states.RFQ_TRANSITIONS``, saves with ``update_fields`` and
writes an ``RfqEvent`` in the same transaction. Quotes are written only under the request's
lock (lock order: request, then quotes). Refusals raise a ``DomainError`` before anything is
written, so a refused call changes nothing.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, OrganizationKind, User
from accounts.permissions import Permission, has_org_permission, require_verified
from core.errors import ConflictError, DomainError, PermissionDeniedError
from core.money import quantize_money
from marketplace.models import Category, ConditionGrade, Machine
from procurement.errors import ProcurementErrorCode as Code
from procurement.lock_objects import quotes_lock, rfq_lock
from procurement.models import (
    Award,
    ItemCondition,
    Method,
    Quote,
    QuoteLine,
    RequestForQuotation,
    RfqEvent,
    RfqEventKind,
    RfqLine,
    RfqQuestion,
    RfqStatus,
    Visibility,
)
from procurement.rules import current_procurement_rules
from procurement.sealing import canonical_quote_json, sha256_hex
from procurement.states import AMENDABLE_STATUSES, REISSUABLE_STATUSES, can_transition

# Organization kinds that may answer a request for quotation.
SUPPLIER_KINDS = frozenset({OrganizationKind.DEALER})
MAX_TEXT = 2000

Fields = dict[str, list[str]]


@dataclass(frozen=True)
class RfqLineInput:
    category: str  # a marketplace.Category slug
    quantity: int
    conditions: list[str] = field(default_factory=list)
    size_class: str = ""
    min_grade: str = ""
    max_age_years: int | None = None
    max_hours: int | None = None
    delivery_city: str = ""
    delivery_date: dt.date | None = None
    specification: str = ""


@dataclass(frozen=True)
class RfqInput:
    title: str
    method: str
    deadline: dt.datetime
    lines: list[RfqLineInput]
    visibility: str = Visibility.OPEN
    invited_organizations: list[int] = field(default_factory=list)
    description: str = ""
    opening_at: dt.datetime | None = None
    budget_ceiling: Decimal | None = None
    budget_published: bool = False
    weights: dict[str, Decimal] | None = None
    subject_to_tendering_law: bool = False


@dataclass(frozen=True)
class QuoteLineInput:
    rfq_line: int
    unit_price: Decimal
    quantity: int
    vat_rate: Decimal = Decimal("0.13")
    lead_time_days: int = 0
    warranty_months: int = 0
    validity_days: int = 30
    machine: int | None = None
    offered_model: str = ""


@dataclass(frozen=True)
class AwardInput:
    rfq_line: int
    quote: int
    quantity: int


WEIGHT_NAMES = ("price", "quality", "delivery", "service", "finance")
DEFAULT_WEIGHTS = {
    "price": Decimal("60"),
    "quality": Decimal("15"),
    "delivery": Decimal("10"),
    "service": Decimal("10"),
    "finance": Decimal("5"),
}


# --- shared helpers -------------------------------------------------------------------------


def _invalid(fields: Fields) -> DomainError:
    return DomainError(_("输入有误，请检查标出的字段。"), code=Code.INVALID, fields=fields)


def _add(fields: Fields, name: str, message: str) -> None:
    fields.setdefault(name, []).append(str(message))


def _require_manager(actor: User | None, rfq: RequestForQuotation) -> None:
    """Only the buyer's owners, admins and buyers manage a request."""
    if not has_org_permission(actor, rfq.buyer, Permission.RFQ_CREATE):
        raise PermissionDeniedError(_("只有采购方的负责人、管理员或采购人员可以管理此采购需求。"))


def _event(
    rfq: RequestForQuotation,
    kind: str,
    actor: User | None,
    *,
    from_status: str = "",
    to_status: str = "",
    data: dict | None = None,
) -> RfqEvent:
    return RfqEvent.objects.create(
        rfq=rfq,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
    )


def _invalid_transition(locked: RequestForQuotation, to_status: str) -> ConflictError:
    return ConflictError(
        _("采购需求状态不能从“%(src)s”变为“%(dst)s”。")
        % {"src": locked.get_status_display(), "dst": RfqStatus(to_status).label},
        code=Code.INVALID_TRANSITION,
    )


def _transition(
    locked: RequestForQuotation,
    to_status: str,
    *,
    kind: str,
    actor: User | None,
    data: dict | None = None,
    extra_fields: dict | None = None,
) -> RequestForQuotation:
    """Check the table, save the status (and ``extra_fields``), write the event. The caller
    holds the request's lock."""
    if not can_transition(locked, to_status):
        raise _invalid_transition(locked, to_status)
    from_status = locked.status
    locked.status = to_status
    fields = ["status", "updated_at"]
    for name, value in (extra_fields or {}).items():
        setattr(locked, name, value)
        fields.append(name)
    locked.save(update_fields=fields)
    _event(locked, kind, actor, from_status=from_status, to_status=to_status, data=data)
    return locked


# --- creating and publishing ----------------------------------------------------------------


def _validate_lines(lines: list[RfqLineInput], fields: Fields) -> dict[str, Category]:
    if not lines:
        _add(fields, "lines", _("至少需要一个采购明细。"))
    slugs = {line.category for line in lines}
    categories = {c.slug: c for c in Category.objects.filter(slug__in=slugs)}
    conditions = set(ItemCondition.values)
    for index, line in enumerate(lines):
        prefix = f"lines.{index}"
        if line.category not in categories:
            _add(fields, f"{prefix}.category", _("没有这个设备类别。"))
        if line.quantity is None or line.quantity <= 0:
            _add(fields, f"{prefix}.quantity", _("数量必须大于零。"))
        if not line.conditions or not set(line.conditions) <= conditions:
            _add(fields, f"{prefix}.conditions", _("请选择全新、二手或再制造中的一项或多项。"))
        if line.min_grade and line.min_grade not in ConditionGrade.values:
            _add(fields, f"{prefix}.min_grade", _("成色等级应为 A–E。"))
        for name in ("max_age_years", "max_hours"):
            value = getattr(line, name)
            if value is not None and value < 0:
                _add(fields, f"{prefix}.{name}", _("不能为负数。"))
        if len(line.specification) > MAX_TEXT:
            _add(fields, f"{prefix}.specification", _("技术要求过长。"))
    return categories


def _validate_rfq(data: RfqInput, buyer: Organization, fields: Fields) -> list[Organization]:
    if not data.title.strip():
        _add(fields, "title", _("请填写标题。"))
    if data.method not in Method.values:
        _add(fields, "method", _("没有这种采购方式。"))
    if data.visibility not in Visibility.values:
        _add(fields, "visibility", _("范围应为公开或仅限受邀供应商。"))
    elif data.method == Method.OPEN_TENDER and data.visibility != Visibility.OPEN:
        _add(fields, "visibility", _("公开招标必须公开发布。"))
    elif data.method == Method.INVITED_TENDER and data.visibility != Visibility.INVITED:
        _add(fields, "visibility", _("邀请招标只向受邀供应商发布。"))
    if data.deadline <= timezone.now():
        _add(fields, "deadline", _("截止时间必须晚于现在。"))
    if data.opening_at is not None and data.opening_at < data.deadline:
        _add(fields, "opening_at", _("开标时间不能早于报价截止时间。"))
    if data.budget_ceiling is not None and data.budget_ceiling <= 0:
        _add(fields, "budget_ceiling", _("预算上限必须大于零。"))
    weights = {**DEFAULT_WEIGHTS, **(data.weights or {})}
    if any(weights[name] < 0 for name in WEIGHT_NAMES) or sum(weights.values()) != 100:
        _add(fields, "weights", _("各项评分权重不能为负，合计必须为 100。"))
    invited = list(Organization.objects.filter(pk__in=set(data.invited_organizations)))
    if len(invited) != len(set(data.invited_organizations)):
        _add(fields, "invited_organizations", _("受邀机构不存在。"))
    if any(org.pk == buyer.pk for org in invited):
        _add(fields, "invited_organizations", _("不能邀请本机构报价。"))
    return invited


def _weight_fields(weights: dict[str, Decimal] | None) -> dict[str, Decimal]:
    merged = {**DEFAULT_WEIGHTS, **(weights or {})}
    return {f"weight_{name}": merged[name] for name in WEIGHT_NAMES}


def _create_lines(
    rfq: RequestForQuotation, lines: list[RfqLineInput], categories: dict[str, Category]
) -> None:
    RfqLine.objects.bulk_create(
        RfqLine(
            rfq=rfq,
            position=index,
            category=categories[line.category],
            size_class=line.size_class,
            quantity=line.quantity,
            conditions=list(dict.fromkeys(line.conditions)),
            min_grade=line.min_grade,
            max_age_years=line.max_age_years,
            max_hours=line.max_hours,
            delivery_city=line.delivery_city,
            delivery_date=line.delivery_date,
            specification=line.specification,
        )
        for index, line in enumerate(lines)
    )


@transaction.atomic
def rfq_create(*, buyer: Organization, actor: User, data: RfqInput) -> RequestForQuotation:
    """A draft request with its lines; nothing is visible to suppliers until published."""
    if not has_org_permission(actor, buyer, Permission.RFQ_CREATE):
        raise PermissionDeniedError(_("只有采购方的负责人、管理员或采购人员可以发起采购。"))
    fields: Fields = {}
    invited = _validate_rfq(data, buyer, fields)
    categories = _validate_lines(data.lines, fields)
    if fields:
        raise _invalid(fields)
    rfq = RequestForQuotation.objects.create(
        title=data.title.strip(),
        description=data.description,
        buyer=buyer,
        created_by=actor,
        method=data.method,
        visibility=data.visibility,
        deadline=data.deadline,
        opening_at=data.opening_at,
        budget_ceiling=quantize_money(data.budget_ceiling) if data.budget_ceiling else None,
        budget_published=data.budget_published,
        subject_to_tendering_law=data.subject_to_tendering_law,
        **_weight_fields(data.weights),
    )
    rfq.invited_organizations.set(invited)
    _create_lines(rfq, data.lines, categories)
    _event(rfq, RfqEventKind.CREATED, actor, to_status=RfqStatus.DRAFT)
    return rfq


def _check_response_period(rfq: RequestForQuotation, now: dt.datetime) -> None:
    rules = current_procurement_rules()
    days = rules.enforced_response_days(
        rfq.method, subject_to_tendering_law=rfq.subject_to_tendering_law
    )
    if rfq.deadline <= now or rfq.deadline < now + dt.timedelta(days=days):
        raise DomainError(
            _("截止时间至少应在发布后 %(days)d 天。") % {"days": max(days, 0)}
            if days
            else _("截止时间必须晚于现在。"),
            code=Code.DEADLINE_TOO_SOON,
            fields={"deadline": [_("截止时间过早。")]},
        )


def _check_invitees(rfq: RequestForQuotation) -> None:
    if rfq.visibility != Visibility.INVITED:
        return
    count = rfq.invited_organizations.count()
    # 招标投标法 art. 17 (at least three invitees) binds invited tenders under the law; a
    # private request by invitation needs one invitee.
    needed = (
        current_procurement_rules().minimum_invitees
        if rfq.method == Method.INVITED_TENDER and rfq.subject_to_tendering_law
        else 1
    )
    if count < needed:
        raise DomainError(
            _("至少需要邀请 %(count)d 家供应商。") % {"count": needed},
            code=Code.INVALID,
            fields={"invited_organizations": [_("受邀供应商不足。")]},
        )


@transaction.atomic
def rfq_publish(*, rfq: RequestForQuotation, actor: User) -> RequestForQuotation:
    locked = rfq_lock(rfq.pk)
    _require_manager(actor, locked)
    require_verified(locked.buyer, _("机构完成实名认证后才能发布采购需求。"))
    if locked.status != RfqStatus.DRAFT:
        raise _invalid_transition(locked, RfqStatus.PUBLISHED)
    now = timezone.now()
    _check_response_period(locked, now)
    _check_invitees(locked)
    return _transition(
        locked,
        RfqStatus.PUBLISHED,
        kind=RfqEventKind.PUBLISHED,
        actor=actor,
        extra_fields={"published_at": now},
        data={"deadline": locked.deadline.isoformat()},
    )


@transaction.atomic
def rfq_amend(
    *,
    rfq: RequestForQuotation,
    actor: User,
    title: str | None = None,
    description: str | None = None,
    deadline: dt.datetime | None = None,
    specifications: dict[int, str] | None = None,
) -> RequestForQuotation:
    """Change a draft or published request. A change to a published request later than the
    clarification cut-off moves the deadline so suppliers keep the cut-off period after it."""
    locked = rfq_lock(rfq.pk)
    _require_manager(actor, locked)
    if locked.status not in AMENDABLE_STATUSES:
        raise ConflictError(_("当前状态不能变更采购需求。"), code=Code.INVALID_TRANSITION)
    now = timezone.now()
    fields: Fields = {}
    if title is not None and not title.strip():
        _add(fields, "title", _("请填写标题。"))
    if deadline is not None and deadline <= now:
        _add(fields, "deadline", _("截止时间必须晚于现在。"))
    lines = {line.pk: line for line in locked.lines.all()}
    for pk in specifications or {}:
        if pk not in lines:
            _add(fields, "specifications", _("没有这个采购明细。"))
    if fields:
        raise _invalid(fields)
    changed = []
    if title is not None:
        locked.title, changed = title.strip(), [*changed, "title"]
    if description is not None:
        locked.description, changed = description, [*changed, "description"]
    for pk, text in (specifications or {}).items():
        lines[pk].specification = text
        lines[pk].save(update_fields=["specification"])
        changed.append(f"line:{pk}")
    old_deadline = locked.deadline
    new_deadline = deadline or locked.deadline
    moved = False
    if locked.status == RfqStatus.PUBLISHED:
        cutoff = dt.timedelta(
            days=current_procurement_rules().clarification_cutoff_for(
                locked.method, subject_to_tendering_law=locked.subject_to_tendering_law
            )
        )
        if now > old_deadline - cutoff and new_deadline < now + cutoff:
            new_deadline, moved = now + cutoff, True
    if new_deadline != old_deadline:
        locked.deadline = new_deadline
        changed.append("deadline")
        if locked.opening_at is not None and locked.opening_at < new_deadline:
            locked.opening_at = new_deadline
            changed.append("opening_at")
    model_fields = [name for name in changed if not name.startswith("line:")]
    locked.save(update_fields=[*model_fields, "updated_at"])
    _event(
        locked,
        RfqEventKind.AMENDED,
        actor,
        data={
            "changes": changed,
            "deadline_moved": moved,
            "old_deadline": old_deadline.isoformat(),
            "new_deadline": locked.deadline.isoformat(),
        },
    )
    return locked


# --- the deadline, the opening and the award ------------------------------------------------


def _close_locked(locked: RequestForQuotation, actor: User | None) -> RequestForQuotation:
    return _transition(locked, RfqStatus.CLOSED, kind=RfqEventKind.CLOSED, actor=actor)


def rfq_close_due(*, now: dt.datetime | None = None) -> int:
    """Close every published request whose deadline has passed (the scheduled task)."""
    now = now or timezone.now()
    closed = 0
    due = RequestForQuotation.objects.published().filter(deadline__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            locked = rfq_lock(pk)
            if locked.status == RfqStatus.PUBLISHED and locked.deadline <= now:
                _close_locked(locked, None)
                closed += 1
    return closed


@transaction.atomic
def rfq_open(*, rfq: RequestForQuotation, actor: User) -> RequestForQuotation:
    """The witnessed opening: after the deadline the buyer opens the sealed quotes. The
    opening record lists every active quote's hash; with fewer valid quotes than the method
    needs the request fails (流标) and the prices stay sealed."""
    locked = rfq_lock(rfq.pk)
    _require_manager(actor, locked)
    now = timezone.now()
    if locked.status in {RfqStatus.PUBLISHED, RfqStatus.CLOSED} and (
        now < locked.deadline or (locked.opening_at is not None and now < locked.opening_at)
    ):
        raise ConflictError(_("尚未到开标时间。"), code=Code.DEADLINE_NOT_REACHED)
    if locked.status == RfqStatus.PUBLISHED:
        _close_locked(locked, actor)
    if locked.status != RfqStatus.CLOSED:
        raise _invalid_transition(locked, RfqStatus.OPENED)
    quotes = list(quotes_lock(locked.pk))
    minimum = current_procurement_rules().minimum_quotes_for(locked.method)
    record = {
        "quotes": [
            {"quote": q.pk, "supplier": q.supplier_id, "version": q.version, "hash": q.content_hash}
            for q in quotes
        ],
        "valid_quotes": len(quotes),
        "minimum_quotes": minimum,
    }
    if len(quotes) < minimum:
        return _transition(
            locked, RfqStatus.FAILED, kind=RfqEventKind.FAILED, actor=actor, data=record
        )
    return _transition(
        locked,
        RfqStatus.OPENED,
        kind=RfqEventKind.OPENED,
        actor=actor,
        data=record,
        extra_fields={"opened_at": now},
    )


@transaction.atomic
def rfq_evaluate(*, rfq: RequestForQuotation, actor: User) -> RequestForQuotation:
    """The buyer starts the evaluation of the opened quotes (scoring happens off-platform for
    now; awarding straight from "opened" is allowed too)."""
    locked = rfq_lock(rfq.pk)
    _require_manager(actor, locked)
    return _transition(locked, RfqStatus.EVALUATING, kind=RfqEventKind.EVALUATING, actor=actor)


def _validate_awards(
    locked: RequestForQuotation, awards: list[AwardInput]
) -> list[tuple[AwardInput, QuoteLine]]:
    fields: Fields = {}
    if not awards:
        _add(fields, "awards", _("至少需要一项授标。"))
    lines = {line.pk: line for line in locked.lines.all()}
    quotes = {q.pk: q for q in quotes_lock(locked.pk)}
    quote_lines = {
        (ql.quote_id, ql.rfq_line_id): ql
        for ql in QuoteLine.objects.filter(quote_id__in=list(quotes))
    }
    awarded: dict[int, int] = {}
    seen: set[tuple[int, int]] = set()
    result = []
    for index, award in enumerate(awards):
        prefix = f"awards.{index}"
        if award.rfq_line not in lines:
            _add(fields, f"{prefix}.rfq_line", _("没有这个采购明细。"))
            continue
        quote_line = quote_lines.get((award.quote, award.rfq_line))
        if award.quote not in quotes or quote_line is None:
            _add(fields, f"{prefix}.quote", _("该报价不是此明细的有效报价。"))
            continue
        if (award.rfq_line, award.quote) in seen:
            _add(fields, f"{prefix}.quote", _("同一报价在同一明细中只能授标一次。"))
            continue
        seen.add((award.rfq_line, award.quote))
        if award.quantity is None or award.quantity <= 0:
            _add(fields, f"{prefix}.quantity", _("数量必须大于零。"))
            continue
        if award.quantity > quote_line.quantity:
            _add(fields, f"{prefix}.quantity", _("授标数量超过该报价的数量。"))
            continue
        awarded[award.rfq_line] = awarded.get(award.rfq_line, 0) + award.quantity
        if awarded[award.rfq_line] > lines[award.rfq_line].quantity:
            _add(fields, f"{prefix}.quantity", _("授标数量合计超过采购数量。"))
            continue
        result.append((award, quote_line))
    if fields:
        raise _invalid(fields)
    return result


@transaction.atomic
def rfq_award(
    *, rfq: RequestForQuotation, actor: User, awards: list[AwardInput]
) -> RequestForQuotation:
    """Award lines, whole or split between quotes; the candidates then go into publicity and
    the award becomes final when the publicity period ends (``rfq_finalize_due``)."""
    locked = rfq_lock(rfq.pk)
    _require_manager(actor, locked)
    if locked.status not in {RfqStatus.OPENED, RfqStatus.EVALUATING}:
        raise ConflictError(_("只有开标后的采购需求才能授标。"), code=Code.INVALID_TRANSITION)
    checked = _validate_awards(locked, awards)
    Award.objects.bulk_create(
        Award(
            rfq=locked,
            rfq_line_id=award.rfq_line,
            quote_id=award.quote,
            quote_line=quote_line,
            quantity=award.quantity,
            unit_price=quote_line.unit_price,
        )
        for award, quote_line in checked
    )
    ends = timezone.now() + dt.timedelta(days=current_procurement_rules().publicity_days)
    return _transition(
        locked,
        RfqStatus.PUBLICITY,
        kind=RfqEventKind.AWARDED,
        actor=actor,
        extra_fields={"publicity_ends_at": ends},
        data={
            "awards": [
                {
                    "rfq_line": award.rfq_line,
                    "quote": award.quote,
                    "supplier": quote_line.quote.supplier_id,
                    "quantity": award.quantity,
                    "unit_price": str(quote_line.unit_price),
                }
                for award, quote_line in checked
            ],
            "publicity_ends_at": ends.isoformat(),
        },
    )


def rfq_finalize_due(*, now: dt.datetime | None = None) -> int:
    """Make final every award whose publicity period has ended (task and command)."""
    now = now or timezone.now()
    finalized = 0
    due = RequestForQuotation.objects.publicity().filter(publicity_ends_at__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            locked = rfq_lock(pk)
            if locked.status == RfqStatus.PUBLICITY and locked.publicity_ends_at <= now:
                _transition(
                    locked,
                    RfqStatus.AWARDED,
                    kind=RfqEventKind.FINALIZED,
                    actor=None,
                    extra_fields={"awarded_at": now},
                )
                finalized += 1
    return finalized


@transaction.atomic
def rfq_cancel(*, rfq: RequestForQuotation, actor: User, reason: str = "") -> RequestForQuotation:
    locked = rfq_lock(rfq.pk)
    _require_manager(actor, locked)
    return _transition(
        locked,
        RfqStatus.CANCELLED,
        kind=RfqEventKind.CANCELLED,
        actor=actor,
        data={"reason": reason[:MAX_TEXT]},
    )


@transaction.atomic
def rfq_reissue(
    *, rfq: RequestForQuotation, actor: User, deadline: dt.datetime | None = None
) -> RequestForQuotation:
    """A new draft copied from a failed (or cancelled) request: same lines, invitees, method
    and weights; the old request keeps its status and records the reissue."""
    locked = rfq_lock(rfq.pk)
    _require_manager(actor, locked)
    if locked.status not in REISSUABLE_STATUSES:
        raise ConflictError(
            _("只有流标或已取消的采购需求可以重新发起。"), code=Code.INVALID_TRANSITION
        )
    now = timezone.now()
    if deadline is None:
        days = current_procurement_rules().response_days_for(
            locked.method, subject_to_tendering_law=locked.subject_to_tendering_law
        )
        deadline = now + dt.timedelta(days=max(days, 1))
    elif deadline <= now:
        raise _invalid({"deadline": [_("截止时间必须晚于现在。")]})
    copy = RequestForQuotation.objects.create(
        title=locked.title,
        description=locked.description,
        buyer=locked.buyer,
        created_by=actor,
        method=locked.method,
        visibility=locked.visibility,
        deadline=deadline,
        budget_ceiling=locked.budget_ceiling,
        budget_published=locked.budget_published,
        subject_to_tendering_law=locked.subject_to_tendering_law,
        reissued_from=locked,
        **{f"weight_{name}": value for name, value in locked.weights.items()},
    )
    copy.invited_organizations.set(locked.invited_organizations.all())
    RfqLine.objects.bulk_create(
        RfqLine(
            rfq=copy,
            position=line.position,
            category_id=line.category_id,
            size_class=line.size_class,
            quantity=line.quantity,
            conditions=line.conditions,
            min_grade=line.min_grade,
            max_age_years=line.max_age_years,
            max_hours=line.max_hours,
            delivery_city=line.delivery_city,
            delivery_date=line.delivery_date,
            specification=line.specification,
        )
        for line in locked.lines.all()
    )
    _event(copy, RfqEventKind.CREATED, actor, to_status=RfqStatus.DRAFT, data={"from": locked.pk})
    _event(locked, RfqEventKind.REISSUED, actor, data={"new_rfq": copy.pk})
    return copy


# --- suppliers: quotes and questions --------------------------------------------------------


def _require_supplier(rfq: RequestForQuotation, supplier: Organization, actor: User) -> None:
    """Verified dealers, invited where the request is by invitation, never the buyer."""
    if supplier.pk == rfq.buyer_id:
        raise PermissionDeniedError(_("不能对本机构的采购需求报价。"), code=Code.OWN_REQUEST)
    if supplier.kind not in SUPPLIER_KINDS:
        raise PermissionDeniedError(_("只有供应商机构可以报价。"), code=Code.NOT_A_SUPPLIER)
    if not has_org_permission(actor, supplier, Permission.RFQ_RESPOND):
        raise PermissionDeniedError(_("您没有代表该机构报价的权限。"))
    require_verified(supplier, _("机构完成实名认证后才能报价。"))
    if (
        rfq.visibility == Visibility.INVITED
        and not rfq.invited_organizations.filter(pk=supplier.pk).exists()
    ):
        raise PermissionDeniedError(_("该采购需求仅限受邀供应商参与。"), code=Code.NOT_INVITED)


def _require_open_for_responses(rfq: RequestForQuotation, now: dt.datetime) -> None:
    if rfq.status == RfqStatus.PUBLISHED and now < rfq.deadline:
        return
    # Every state after "published" comes after the deadline: a late quote is bad input.
    if rfq.status not in {RfqStatus.DRAFT, RfqStatus.CANCELLED}:
        raise DomainError(
            _("报价截止时间已过。"),
            code=Code.DEADLINE_PASSED,
            fields={"deadline": [_("报价截止时间已过。")]},
        )
    raise ConflictError(_("该采购需求当前不接受报价。"), code=Code.NOT_ACCEPTING_QUOTES)


def _validate_quote_lines(
    rfq: RequestForQuotation, supplier: Organization, lines: list[QuoteLineInput]
) -> dict[int, RfqLine]:
    fields: Fields = {}
    if not lines:
        _add(fields, "lines", _("至少需要报一个明细。"))
    rfq_lines = {line.pk: line for line in rfq.lines.all()}
    machine_ids = {line.machine for line in lines if line.machine is not None}
    own_machines = set(
        Machine.objects.filter(pk__in=machine_ids, owner=supplier).values_list("pk", flat=True)
    )
    seen: set[int] = set()
    for index, line in enumerate(lines):
        prefix = f"lines.{index}"
        if line.rfq_line not in rfq_lines:
            _add(fields, f"{prefix}.rfq_line", _("没有这个采购明细。"))
        elif line.rfq_line in seen:
            _add(fields, f"{prefix}.rfq_line", _("同一明细只能报一次价。"))
        else:
            seen.add(line.rfq_line)
            if line.quantity is not None and line.quantity > rfq_lines[line.rfq_line].quantity:
                _add(fields, f"{prefix}.quantity", _("报价数量超过采购数量。"))
        if line.unit_price is None or line.unit_price <= 0:
            _add(fields, f"{prefix}.unit_price", _("单价必须大于零。"))
        if line.quantity is None or line.quantity <= 0:
            _add(fields, f"{prefix}.quantity", _("数量必须大于零。"))
        if line.vat_rate is None or not Decimal("0") <= line.vat_rate < Decimal("1"):
            _add(fields, f"{prefix}.vat_rate", _("税率应在 0 到 1 之间。"))
        for name in ("lead_time_days", "warranty_months"):
            if getattr(line, name) is None or getattr(line, name) < 0:
                _add(fields, f"{prefix}.{name}", _("不能为负数。"))
        if line.validity_days is None or line.validity_days <= 0:
            _add(fields, f"{prefix}.validity_days", _("报价有效期必须大于零。"))
        if line.machine is not None and line.machine not in own_machines:
            _add(fields, f"{prefix}.machine", _("只能用本机构名下的设备报价。"))
        if len(line.offered_model) > 200:
            _add(fields, f"{prefix}.offered_model", _("机型描述过长。"))
    if fields:
        raise _invalid(fields)
    return rfq_lines


def _quote_line_content(line: QuoteLineInput) -> dict:
    return {
        "rfq_line": line.rfq_line,
        "unit_price": quantize_money(line.unit_price),
        "vat_rate": line.vat_rate.quantize(Decimal("0.001")),
        "quantity": line.quantity,
        "machine": line.machine,
        "offered_model": line.offered_model,
        "lead_time_days": line.lead_time_days,
        "warranty_months": line.warranty_months,
        "validity_days": line.validity_days,
    }


@transaction.atomic
def quote_submit(
    *,
    rfq: RequestForQuotation,
    supplier: Organization,
    actor: User,
    lines: list[QuoteLineInput],
) -> Quote:
    """Submit or replace a sealed quote before the deadline. A replacement is a new version;
    the previous one is kept, inactive. The content's SHA-256 is stored for the opening."""
    locked = rfq_lock(rfq.pk)
    _require_supplier(locked, supplier, actor)
    now = timezone.now()
    _require_open_for_responses(locked, now)
    _validate_quote_lines(locked, supplier, lines)
    previous = quotes_lock(locked.pk, active_only=False).filter(supplier=supplier)
    versions = [quote.version for quote in previous]
    for quote in previous:
        if quote.is_active:
            quote.is_active = False
            quote.save(update_fields=["is_active"])
    version = max(versions, default=0) + 1
    content = [_quote_line_content(line) for line in lines]
    digest = sha256_hex(
        canonical_quote_json(
            rfq_id=locked.pk,
            supplier_id=supplier.pk,
            version=version,
            submitted_at=now.isoformat(),
            lines=content,
        )
    )
    quote = Quote.objects.create(
        rfq=locked,
        supplier=supplier,
        submitted_by=actor,
        version=version,
        content_hash=digest,
        submitted_at=now,
    )
    QuoteLine.objects.bulk_create(
        QuoteLine(
            quote=quote,
            rfq_line_id=item["rfq_line"],
            unit_price=item["unit_price"],
            vat_rate=item["vat_rate"],
            quantity=item["quantity"],
            machine_id=item["machine"],
            offered_model=item["offered_model"],
            lead_time_days=item["lead_time_days"],
            warranty_months=item["warranty_months"],
            validity_days=item["validity_days"],
        )
        for item in content
    )
    _event(
        locked,
        RfqEventKind.QUOTE_SUBMITTED,
        actor,
        data={"quote": quote.pk, "supplier": supplier.pk, "version": version, "hash": digest},
    )
    return quote


@transaction.atomic
def question_ask(
    *, rfq: RequestForQuotation, supplier: Organization, actor: User, text: str
) -> RfqQuestion:
    locked = rfq_lock(rfq.pk)
    _require_supplier(locked, supplier, actor)
    if locked.status != RfqStatus.PUBLISHED or timezone.now() >= locked.deadline:
        raise ConflictError(_("截止时间已过，不能再提问。"), code=Code.QUESTIONS_CLOSED)
    if not text.strip() or len(text) > MAX_TEXT:
        raise _invalid({"text": [_("请填写问题（不超过 2000 字）。")]})
    question = RfqQuestion.objects.create(
        rfq=locked, asked_by=supplier, asked_by_user=actor, text=text.strip()
    )
    _event(locked, RfqEventKind.QUESTION_ASKED, actor, data={"question": question.pk})
    return question


@transaction.atomic
def question_answer(*, question: RfqQuestion, actor: User, answer: str) -> RfqQuestion:
    """The answer is shown to every supplier without the asker's name. Answers do not move
    the deadline; a change of the documents goes through ``rfq_amend``, which does."""
    locked = rfq_lock(question.rfq_id)
    _require_manager(actor, locked)
    question = RfqQuestion.objects.select_for_update().get(pk=question.pk)
    if question.answered_at is not None:
        raise ConflictError(_("该问题已经答复。"), code=Code.ALREADY_ANSWERED)
    if locked.status not in {RfqStatus.PUBLISHED, RfqStatus.CLOSED}:
        raise ConflictError(_("当前状态不能答疑。"), code=Code.QUESTIONS_CLOSED)
    if not answer.strip() or len(answer) > MAX_TEXT:
        raise _invalid({"answer": [_("请填写答复（不超过 2000 字）。")]})
    question.answer = answer.strip()
    question.answered_at = timezone.now()
    question.answered_by = actor
    question.save(update_fields=["answer", "answered_at", "answered_by"])
    _event(locked, RfqEventKind.QUESTION_ANSWERED, actor, data={"question": question.pk})
    return question
