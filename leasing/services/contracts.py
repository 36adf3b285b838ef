"""Contract start and release: the lease's registration encumbers the machine.

Civil Code art. 745: a lessor's ownership cannot be asserted against a good-faith third
party unless registered (中登网), so from contract start until the lessor records the
release, the machine is flagged ``is_encumbered`` and cannot be sold on the platform
(``marketplace.services.listing_mark_sold`` refuses it).
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, User
from accounts.permissions import Permission, has_org_permission
from core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from leasing.engine import QuoteInput, QuoteValidationError, quote
from leasing.lock_objects import lease_contract_lock
from leasing.models import (
    ApplicationKind,
    ApplicationStatus,
    ContractStatus,
    LeaseApplication,
    LeaseContract,
)
from leasing.rules import REGISTRY_REFERENCE_DIGITS, normalize_registry_reference
from leasing.services.applications import (
    locked_application,
    notify_applicant,
    require_application_permission,
)
from marketplace.events import listing_changed
from marketplace.lock_objects import machine_lock
from marketplace.models import Listing, Machine


def add_months(start: dt.date, months: int) -> dt.date:
    """Same day ``months`` later, clamped to the month's end (Jan 31 + 1 → Feb 28/29)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return start.replace(
        year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1])
    )


def clean_registry_reference(value: str) -> str:
    """A 中登网 registration number (登记证明编号): exactly 20 digits (see leasing.rules)."""
    cleaned = normalize_registry_reference(value)
    if cleaned is None:
        message = _("请填写中登网登记证明上的登记编号：%(digits)s 位数字（可含空格或连字符）。") % {
            "digits": REGISTRY_REFERENCE_DIGITS
        }
        raise DomainError(message, code="invalid", fields={"registry_reference": [message]})
    return cleaned


def _contract_quote(application: LeaseApplication):
    inp = QuoteInput(
        price=application.approved_price,
        down_payment=application.approved_down_payment,
        term_months=application.approved_term_months,
        annual_rate=application.approved_annual_rate,
        method=application.method,
        timing=application.timing,
        lease_type=application.lease_type,
        deposit=application.approved_deposit,
        fee=application.approved_fee,
        buyout_price=application.approved_buyout_price,
        balloon=application.approved_balloon,
    )
    try:
        return inp, quote(inp, translate=_)
    except QuoteValidationError as exc:  # approval already validated these; data changed since
        raise ConflictError(_("批准条件无法生成租金计划。"), code="invalid_terms") from exc


def _mark_listings_changed(machine: Machine) -> None:
    for listing_id in Listing.objects.live().filter(machine=machine).values_list("pk", flat=True):
        listing_changed(listing_id)


@transaction.atomic
def contract_start(
    *,
    actor: User,
    application: LeaseApplication,
    registry_reference: str,
    start_date: dt.date | None = None,
) -> LeaseContract:
    """Record the signed lease and its registration; the machine becomes encumbered."""
    application = locked_application(application)
    require_application_permission(actor, application, Permission.LEASE_APPLICATION_REVIEW)
    reference = clean_registry_reference(registry_reference)
    if application.status != ApplicationStatus.ACCEPTED:
        raise ConflictError(_("只有买方已接受的批复才能起租。"), code="invalid_state")
    if application.kind == ApplicationKind.PREAPPROVAL or application.machine_id is None:
        raise ConflictError(_("预审批额度没有对应设备，不能直接起租。"), code="no_machine")
    if LeaseContract.objects.filter(application=application).exists():
        raise ConflictError(_("该申请已起租。"), code="already_started")
    machine = machine_lock(application.machine_id)
    if machine.is_encumbered:
        raise ConflictError(_("该设备已有未解除的融资登记。"), code="machine_encumbered")
    inp, result = _contract_quote(application)
    start = start_date or timezone.localdate()
    try:
        with transaction.atomic():
            contract = LeaseContract.objects.create(
                application=application,
                contract_number=f"ILZL{start:%Y%m}{application.pk:08d}",
                lessor=application.lessor,
                lessee=application.applicant,
                machine=machine,
                registry_reference=reference,
                lease_type=inp.lease_type,
                price=inp.price,
                down_payment=inp.down_payment,
                principal=result.principal,
                term_months=inp.term_months,
                annual_rate=inp.annual_rate,
                method=inp.method,
                timing=inp.timing,
                deposit=inp.deposit,
                fee=inp.fee,
                buyout_price=inp.buyout_price,
                balloon=inp.balloon,
                apr=result.apr,
                ear=result.ear,
                schedule=result.to_dict()["schedule"],
                start_date=start,
                end_date=add_months(start, inp.term_months),
                created_by=actor,
                is_simulated=application.is_simulated,
            )
    except IntegrityError as exc:
        raise ConflictError(_("该设备已有生效中的租赁合同。"), code="machine_encumbered") from exc
    machine.is_encumbered = True
    machine.save(update_fields=["is_encumbered"])
    _mark_listings_changed(machine)
    notify_applicant(
        application, _("融资租赁合同 %(number)s 已起租") % {"number": contract.contract_number}
    )
    return contract


def _require_contract_lessor(actor: User | None, contract: LeaseContract) -> None:
    if has_org_permission(actor, contract.lessor, Permission.LEASE_APPLICATION_REVIEW):
        return
    if (
        actor is not None
        and actor.is_authenticated
        and Membership.objects.filter(
            user=actor, organization_id__in=[contract.lessor_id, contract.lessee_id]
        ).exists()
    ):
        raise PermissionDeniedError(_("只有出租方可以解除登记。"))
    raise NotFoundError(_("合同不存在。"))


@transaction.atomic
def contract_release(*, actor: User, contract: LeaseContract) -> LeaseContract:
    """The lessor records that the registration was released; the machine is free again.

    Locks the machine, then the contract (leasing.lock_objects order); a contract never
    changes machine, so the caller's ``machine_id`` names the right one."""
    machine = machine_lock(contract.machine_id)
    contract = lease_contract_lock(contract.pk, related=("lessor", "lessee"))
    _require_contract_lessor(actor, contract)
    if contract.status != ContractStatus.ACTIVE:
        raise ConflictError(_("该合同已解除登记。"), code="already_released")
    contract.status = ContractStatus.RELEASED
    contract.released_at = timezone.now()
    contract.released_by = actor
    contract.save(update_fields=["status", "released_at", "released_by"])
    machine.is_encumbered = LeaseContract.objects.filter(
        machine=machine, status=ContractStatus.ACTIVE
    ).exists()
    machine.save(update_fields=["is_encumbered"])
    _mark_listings_changed(machine)
    return contract
