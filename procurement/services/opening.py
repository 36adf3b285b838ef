"""The deadline, the witnessed opening, 流标, evaluation, award and publicity, cancelling
and reissuing."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import ConflictError
from procurement import notices
from procurement.errors import ProcurementErrorCode as Code
from procurement.lock_objects import quotes_lock, rfq_lock
from procurement.models import (
    Award,
    QuoteLine,
    RequestForQuotation,
    RfqEventKind,
    RfqLine,
    RfqStatus,
)
from procurement.rules import current_procurement_rules
from procurement.services.common import (
    MAX_TEXT,
    AwardInput,
    Fields,
    _add,
    _event,
    _invalid,
    _invalid_transition,
    _require_manager,
    _transition,
)
from procurement.states import REISSUABLE_STATUSES

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
    opened = _transition(
        locked,
        RfqStatus.OPENED,
        kind=RfqEventKind.OPENED,
        actor=actor,
        data=record,
        extra_fields={"opened_at": now},
    )
    notices.notify_opened(opened)
    return opened


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
    awarded = _transition(
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
    notices.notify_awarded(awarded)
    return awarded


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
