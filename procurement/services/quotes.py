"""Suppliers: sealed quotes (versions and hashes) and clarification questions."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.permissions import Permission, has_org_permission, require_verified
from core.errors import ConflictError, DomainError, PermissionDeniedError
from core.money import quantize_money
from marketplace.models import Machine
from procurement import notices
from procurement.errors import ProcurementErrorCode as Code
from procurement.lock_objects import quotes_lock, rfq_lock
from procurement.models import (
    Quote,
    QuoteLine,
    RequestForQuotation,
    RfqEventKind,
    RfqLine,
    RfqQuestion,
    RfqStatus,
    Visibility,
)
from procurement.sealing import canonical_quote_json, sha256_hex
from procurement.services.common import (
    MAX_TEXT,
    SUPPLIER_KINDS,
    Fields,
    QuoteLineInput,
    _add,
    _event,
    _invalid,
    _require_manager,
)

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
    notices.notify_quote_received(locked)
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
