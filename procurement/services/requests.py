"""Creating, publishing and amending a request for quotation."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.permissions import Permission, has_org_permission, require_verified
from core.errors import ConflictError, DomainError, PermissionDeniedError
from core.money import quantize_money
from marketplace.models import Category, ConditionGrade
from procurement import notices
from procurement.errors import ProcurementErrorCode as Code
from procurement.lock_objects import rfq_lock
from procurement.models import (
    ItemCondition,
    Method,
    RequestForQuotation,
    RfqEventKind,
    RfqLine,
    RfqStatus,
    Visibility,
)
from procurement.rules import current_procurement_rules
from procurement.services.common import (
    DEFAULT_WEIGHTS,
    MAX_TEXT,
    WEIGHT_NAMES,
    Fields,
    RfqInput,
    RfqLineInput,
    _add,
    _event,
    _invalid,
    _invalid_transition,
    _require_manager,
    _transition,
)
from procurement.states import AMENDABLE_STATUSES

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
    published = _transition(
        locked,
        RfqStatus.PUBLISHED,
        kind=RfqEventKind.PUBLISHED,
        actor=actor,
        extra_fields={"published_at": now},
        data={"deadline": locked.deadline.isoformat()},
    )
    notices.notify_published(published)
    return published


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
