"""The lessor's review (request information, approve within the product's limits once the
required documents are in, decline) and the applicant's answer (accept, withdraw)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Permission
from core.errors import ConflictError, DomainError
from leasing.engine import NON_FIELD_ERRORS, QuoteInput, QuoteValidationError, quote
from leasing.models import (
    DocumentKind,
    LeaseApplication,
    LeaseProduct,
)
from leasing.rules import required_documents
from leasing.services.application_access import (
    DEFAULT_VALIDITY,
    S,
    _check_transition,
    _required_text,
    _transition,
    locked_application,
    notify_applicant,
    notify_lessor,
    require_application_permission,
)
from leasing.valuation_adapter import ValueBasis, machine_value_basis

# --- review -------------------------------------------------------------------------------


@transaction.atomic
def application_request_info(
    *, actor: User, application: LeaseApplication, note: str
) -> LeaseApplication:
    application = locked_application(application)
    require_application_permission(actor, application, Permission.LEASE_APPLICATION_REVIEW)
    note = _required_text(note, "note", _("请说明需要补充的资料。"))
    _transition(
        application,
        to_status=S.INFO_REQUESTED,
        actor=actor,
        note=note,
        fields={"info_request_note": note},
    )
    notify_applicant(application, gettext_noop("融资租赁申请 #%(id)s 需要补充资料"))
    return application


@transaction.atomic
def application_resubmit(
    *, actor: User, application: LeaseApplication, note: str = ""
) -> LeaseApplication:
    application = locked_application(application)
    require_application_permission(actor, application, Permission.LEASE_APPLY)
    _transition(application, to_status=S.RESUBMITTED, actor=actor, note=note.strip())
    notify_lessor(application, gettext_noop("融资租赁申请 #%(id)s 已补充资料"))
    return application


@dataclass(frozen=True, kw_only=True)
class ApprovalTerms:
    """The lessor's final terms; for a pre-approval ``price`` is the approved limit."""

    price: Decimal
    down_payment: Decimal
    term_months: int
    annual_rate: Decimal
    deposit: Decimal = Decimal(0)
    fee: Decimal = Decimal(0)
    buyout_price: Decimal = Decimal(0)
    balloon: Decimal = Decimal(0)
    valid_until: dt.date | None = None


def _check_approval_limits(application: LeaseApplication, terms: ApprovalTerms) -> None:
    """Final terms obey the same LTV and residual limits as the quotes."""
    errors: dict[str, list[str]] = {}
    inp = QuoteInput(
        price=terms.price,
        down_payment=terms.down_payment,
        term_months=terms.term_months,
        annual_rate=terms.annual_rate,
        method=application.method,
        timing=application.timing,
        lease_type=application.lease_type,
        deposit=terms.deposit,
        fee=terms.fee,
        buyout_price=terms.buyout_price,
        balloon=terms.balloon,
    )
    try:
        quote(inp, translate=_)
    except QuoteValidationError as exc:
        for key, messages in exc.errors.items():
            errors.setdefault("non_field_errors" if key == NON_FIELD_ERRORS else key, messages)
    if application.machine_id is not None and not errors:
        basis = machine_value_basis(
            application.machine, term_months=terms.term_months, asking_price=terms.price
        )
        _check_basis(application.product, basis, terms, errors)
    if terms.valid_until is not None and terms.valid_until < timezone.localdate():
        errors.setdefault("valid_until", []).append(_("有效期不能早于今天。"))
    if errors:
        raise DomainError(_("批准条件有误。"), code="invalid", fields=errors)


def _check_basis(
    product: LeaseProduct, basis: ValueBasis, terms: ApprovalTerms, errors: dict
) -> None:
    if basis.today_value is not None:
        cap = product.max_ltv * basis.today_value
        if terms.price - terms.down_payment > cap:
            errors.setdefault("down_payment", []).append(
                _("融资额超过设备估值的 %(share)s。") % {"share": f"{product.max_ltv * 100:.0f}%"}
            )
    if terms.balloon > 0:
        if basis.residual_floor is None:
            errors.setdefault("balloon", []).append(ValueBasis.unavailable_message())
        elif terms.balloon > basis.residual_floor:
            errors.setdefault("balloon", []).append(
                _("尾付不能超过估值模型对租期末的保守预测（P10）。")
            )


def missing_documents(application: LeaseApplication) -> list[str]:
    """Required document kinds (leasing.rules) the application does not carry yet."""
    present = set(application.documents.values_list("kind", flat=True))
    return [kind for kind in required_documents(application.kind) if kind not in present]


def _list_separator() -> str:
    return "、" if (get_language() or "zh").startswith("zh") else ", "


def _check_required_documents(application: LeaseApplication) -> None:
    missing = missing_documents(application)
    if missing:
        message = _("批准前申请人须上传以下资料：%(kinds)s。") % {
            "kinds": _list_separator().join(str(DocumentKind(kind).label) for kind in missing)
        }
        raise DomainError(message, code="documents_missing", fields={"documents": [message]})


@transaction.atomic
def application_approve(
    *, actor: User, application: LeaseApplication, terms: ApprovalTerms
) -> LeaseApplication:
    application = locked_application(application)
    require_application_permission(actor, application, Permission.LEASE_APPLICATION_REVIEW)
    _check_transition(application, S.APPROVED)
    _check_required_documents(application)
    _check_approval_limits(application, terms)
    _transition(
        application,
        to_status=S.APPROVED,
        actor=actor,
        fields={
            "approved_price": terms.price,
            "approved_down_payment": terms.down_payment,
            "approved_term_months": terms.term_months,
            "approved_annual_rate": terms.annual_rate,
            "approved_deposit": terms.deposit,
            "approved_fee": terms.fee,
            "approved_buyout_price": terms.buyout_price,
            "approved_balloon": terms.balloon,
            "valid_until": terms.valid_until or timezone.localdate() + DEFAULT_VALIDITY,
            "decided_at": timezone.now(),
        },
    )
    notify_applicant(application, gettext_noop("融资租赁申请 #%(id)s 已获批准"))
    return application


@transaction.atomic
def application_decline(
    *, actor: User, application: LeaseApplication, reason: str
) -> LeaseApplication:
    application = locked_application(application)
    require_application_permission(actor, application, Permission.LEASE_APPLICATION_REVIEW)
    reason = _required_text(reason, "reason", _("拒绝时必须填写原因。"))
    _transition(
        application,
        to_status=S.DECLINED,
        actor=actor,
        note=reason,
        fields={"decline_reason": reason, "decided_at": timezone.now()},
    )
    notify_applicant(application, gettext_noop("融资租赁申请 #%(id)s 未获批准"))
    return application


# --- the applicant's answer ---------------------------------------------------------------


@transaction.atomic
def application_accept(*, actor: User, application: LeaseApplication) -> LeaseApplication:
    application = locked_application(application)
    require_application_permission(actor, application, Permission.LEASE_APPLY)
    if (
        application.status == S.APPROVED
        and application.valid_until is not None
        and application.valid_until < timezone.localdate()
    ):
        raise ConflictError(_("批复已过有效期，请重新申请。"), code="approval_expired")
    _transition(application, to_status=S.ACCEPTED, actor=actor)
    notify_lessor(application, gettext_noop("融资租赁申请 #%(id)s 的批复已被接受"))
    return application


@transaction.atomic
def application_withdraw(
    *, actor: User, application: LeaseApplication, reason: str = ""
) -> LeaseApplication:
    application = locked_application(application)
    require_application_permission(actor, application, Permission.LEASE_APPLY)
    _transition(application, to_status=S.WITHDRAWN, actor=actor, note=reason.strip())
    notify_lessor(application, gettext_noop("融资租赁申请 #%(id)s 已撤回"))
    return application
