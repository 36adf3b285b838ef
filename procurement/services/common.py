"""Inputs of the procurement services and the helpers every use case shares: the one
transition function (table check, ``update_fields``, event row) and the refusal builders."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.models import OrganizationKind, User
from accounts.permissions import Permission, has_org_permission
from core.errors import ConflictError, DomainError, PermissionDeniedError
from procurement.errors import ProcurementErrorCode as Code
from procurement.models import (
    RequestForQuotation,
    RfqEvent,
    RfqStatus,
    Visibility,
)
from procurement.states import can_transition

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
