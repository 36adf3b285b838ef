"""Writes of the recycling app.

Requests: requested → quoted → accepted → completed, or cancelled before completion
(``DISPOSAL_TRANSITIONS``). Completing a disposal issues the certificate, marks the machine
scrapped (marketplace services then refuse new listings) and withdraws any live listing
through ``marketplace.services.listing_withdraw`` with the owner's accepting user as actor, all
in one transaction: if a listing cannot be withdrawn (an order holds it reserved) nothing
changes.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, OrganizationKind, User
from accounts.permissions import (
    Permission,
    has_org_permission,
    is_platform_staff,
    require_org_permission,
    require_verified,
)
from core.documents import next_document_number
from core.errors import ConflictError, DomainError, PermissionDeniedError
from core.money import quantize_money
from marketplace.lock_objects import listings_lock, machine_lock
from marketplace.models import Listing, ListingStatus, Machine
from marketplace.services import listing_withdraw
from recycling.documents import DISPOSAL_CERTIFICATE_PREFIX
from recycling.lock_objects import (
    disposal_certificate_lock,
    disposal_quote_lock,
    disposal_request_lock,
)
from recycling.models import (
    CertificateStatus,
    DisposalCertificate,
    DisposalQuote,
    DisposalRequest,
    DisposalStatus,
    Material,
    MaterialLine,
    QuoteStatus,
    Treatment,
)
from recycling.rates import MaterialMass, recovery_rates

D = DisposalStatus
DISPOSAL_TRANSITIONS: dict[str, set[str]] = {
    D.REQUESTED: {D.QUOTED, D.CANCELLED},
    D.QUOTED: {D.QUOTED, D.ACCEPTED, D.CANCELLED},
    D.ACCEPTED: {D.COMPLETED, D.CANCELLED},
    D.COMPLETED: set(),
    D.CANCELLED: set(),
}


def _locked(request: DisposalRequest, to_status: str) -> DisposalRequest:
    locked = disposal_request_lock(request.pk, related=("machine", "owner"))
    if to_status not in DISPOSAL_TRANSITIONS[locked.status]:
        raise ConflictError(
            _("处置申请当前状态为“%(s)s”，不能执行此操作。") % {"s": locked.get_status_display()},
            code="invalid_transition",
        )
    return locked


def _has_reserved_listing(machine: Machine) -> bool:
    return machine.listings.filter(status=ListingStatus.RESERVED).exists()


@transaction.atomic
def disposal_request_create(*, machine: Machine, actor: User, note: str = "") -> DisposalRequest:
    """The owner asks recyclers to quote for scrapping the machine."""
    machine = machine_lock(machine.pk)
    require_org_permission(actor, machine.owner, Permission.LISTING_MANAGE)
    if machine.is_scrapped:
        raise ConflictError(_("该设备已报废。"), code="machine_scrapped")
    try:
        with transaction.atomic():
            return DisposalRequest.objects.create(
                machine=machine, owner=machine.owner, requested_by=actor, note=note
            )
    except IntegrityError as exc:
        raise ConflictError(_("该设备已有未完成的处置申请。"), code="request_already_open") from exc


@transaction.atomic
def disposal_quote_submit(
    *,
    request: DisposalRequest,
    recycler: Organization,
    actor: User,
    price: Decimal,
    note: str = "",
) -> DisposalQuote:
    require_org_permission(actor, recycler, Permission.DISPOSAL_QUOTE)
    require_verified(recycler, _("机构完成实名认证后才能报价。"))
    request = _locked(request, D.QUOTED)
    if recycler.kind != OrganizationKind.RECYCLER or recycler.pk == request.owner_id:
        raise DomainError(_("只有其他回收拆解企业可以报价。"), code="invalid_recycler")
    if price is None or price < 0:
        raise DomainError(_("报价不能为负数。"), fields={"price": [_("报价不能为负数。")]})
    try:
        with transaction.atomic():
            quote = DisposalQuote.objects.create(
                request=request,
                recycler=recycler,
                created_by=actor,
                price=quantize_money(price),
                note=note,
            )
    except IntegrityError as exc:
        raise ConflictError(_("贵公司已对该申请报价。"), code="already_quoted") from exc
    request.status = D.QUOTED
    request.save(update_fields=["status", "updated_at"])
    return quote


@transaction.atomic
def disposal_quote_accept(*, quote: DisposalQuote, actor: User) -> DisposalRequest:
    request = _locked(quote.request, D.ACCEPTED)
    require_org_permission(actor, request.owner, Permission.LISTING_MANAGE)
    quote = disposal_quote_lock(quote.pk)
    if quote.status != QuoteStatus.OFFERED:
        raise ConflictError(_("该报价已不可接受。"), code="quote_not_open")
    if _has_reserved_listing(request.machine):
        raise ConflictError(
            _("该设备有进行中的订单，订单结束前不能报废。"), code="machine_reserved"
        )
    request.quotes.exclude(pk=quote.pk).update(status=QuoteStatus.DECLINED)
    quote.status = QuoteStatus.ACCEPTED
    quote.save(update_fields=["status"])
    request.status = D.ACCEPTED
    request.accepted_by = actor
    request.save(update_fields=["status", "accepted_by", "updated_at"])
    return request


@transaction.atomic
def disposal_request_cancel(*, request: DisposalRequest, actor: User) -> DisposalRequest:
    request = _locked(request, D.CANCELLED)
    require_org_permission(actor, request.owner, Permission.LISTING_MANAGE)
    request.status = D.CANCELLED
    request.save(update_fields=["status", "updated_at"])
    request.quotes.filter(status=QuoteStatus.OFFERED).update(status=QuoteStatus.DECLINED)
    return request


@dataclass(frozen=True)
class MaterialInput:
    material: str
    treatment: str
    mass_kg: Decimal


def _validate_materials(materials: list[MaterialInput]) -> None:
    if not materials:
        raise DomainError(_("请录入拆解材料及其质量。"), fields={"materials": [_("必填。")]})
    for line in materials:
        if (
            line.material not in Material.values
            or line.treatment not in Treatment.values
            or line.mass_kg is None
            or line.mass_kg <= 0
        ):
            raise DomainError(
                _("材料、处理方式或质量无效。"), fields={"materials": [_("请检查每一行。")]}
            )


@transaction.atomic
def disposal_complete(
    *,
    request: DisposalRequest,
    actor: User,
    materials: list[MaterialInput],
    completed_on: dt.date | None = None,
) -> DisposalCertificate:
    """The chosen recycler reports the dismantling; the machine is scrapped for good.

    Locks the machine's live listings (they are withdrawn), the machine, then the request
    (recycling.lock_objects order)."""
    live = Listing.objects.filter(machine_id=request.machine_id).live()
    list(listings_lock(live.values_list("pk", flat=True)))
    machine = machine_lock(request.machine_id)
    request = _locked(request, D.COMPLETED)
    quote = request.quotes.get(status=QuoteStatus.ACCEPTED)
    require_org_permission(actor, quote.recycler, Permission.DISPOSAL_QUOTE)
    _validate_materials(materials)
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate():
        raise DomainError(_("完成日期不能晚于今天。"), fields={"completed_on": [_("无效日期。")]})
    _withdraw_live_listings(machine, request.accepted_by)
    rates = recovery_rates(MaterialMass(m.treatment, m.mass_kg) for m in materials)
    now = timezone.now()
    certificate = DisposalCertificate.objects.create(
        number=next_document_number(prefix=DISPOSAL_CERTIFICATE_PREFIX, year=now.year),
        request=request,
        machine=machine,
        recycler=quote.recycler,
        issued_by=actor,
        completed_on=completed_on,
        total_mass_kg=rates.total_mass_kg,
        recyclable_mass_kg=rates.recyclable_mass_kg,
        recoverable_mass_kg=rates.recoverable_mass_kg,
        recyclability_rate=rates.recyclability_rate,
        recoverability_rate=rates.recoverability_rate,
        issued_at=now,
    )
    MaterialLine.objects.bulk_create(
        MaterialLine(
            certificate=certificate, material=m.material, treatment=m.treatment, mass_kg=m.mass_kg
        )
        for m in materials
    )
    request.status = D.COMPLETED
    request.save(update_fields=["status", "updated_at"])
    machine.is_scrapped = True
    machine.save(update_fields=["is_scrapped"])
    return certificate


def _withdraw_live_listings(machine: Machine, owner_actor: User | None) -> None:
    if _has_reserved_listing(machine):
        raise ConflictError(
            _("该设备有进行中的订单，订单结束前不能报废。"), code="machine_reserved"
        )
    live = Listing.objects.filter(machine=machine).live()
    for listing in live:
        listing_withdraw(listing=listing, actor=owner_actor, reason=_("设备已报废"))


def _may_revoke(user: User | None, certificate: DisposalCertificate) -> bool:
    """The issuing recycler's quoting staff or platform staff."""
    return is_platform_staff(user) or has_org_permission(
        user, certificate.recycler, Permission.DISPOSAL_QUOTE
    )


def can_revoke_disposal_certificate(user: User | None, certificate: DisposalCertificate) -> bool:
    return certificate.status == CertificateStatus.ISSUED and _may_revoke(user, certificate)


@transaction.atomic
def disposal_certificate_revoke(
    *, certificate: DisposalCertificate, actor: User, reason: str
) -> DisposalCertificate:
    """The issuing recycler or platform staff withdraw a certificate (e.g. issued for the
    wrong machine), giving a reason. Verification then reports it revoked, with the reason.

    Only the status and the revocation columns change (the database triggers allow nothing
    else). The machine stays scrapped: putting a machine back on the market is a correction
    of its record by platform staff, not a side effect of withdrawing a document."""
    certificate = disposal_certificate_lock(certificate.pk, related=("recycler",))
    if not _may_revoke(actor, certificate):
        raise PermissionDeniedError(_("您没有执行此操作的权限。"))
    if certificate.status != CertificateStatus.ISSUED:
        raise ConflictError(_("只有有效的证书可以撤销。"), code="invalid_transition")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写撤销原因。"), fields={"reason": [_("请填写撤销原因。")]})
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revocation_reason = reason
    certificate.save(update_fields=["status", "revoked_at", "revocation_reason"])
    return certificate
