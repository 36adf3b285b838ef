"""Inspection requests: requested → accepted → completed, or declined / cancelled
(``REQUEST_TRANSITIONS``). Accepting a request starts the certifier's draft report."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Organization, OrganizationKind, User
from accounts.permissions import Permission, require_org_permission, require_verified
from certification.lock_objects import inspection_request_lock
from certification.models import (
    InspectionReport,
    InspectionRequest,
    InspectionRequestStatus,
)
from certification.services.common import (
    ensure_independent,
    ensure_not_scrapped,
    record_event,
    require_inspector,
)
from certification.services.inspection_drafts import inspection_report_start
from core.errors import ConflictError, DomainError
from marketplace.lock_objects import machine_lock
from marketplace.models import Machine
from notifications.services import notification_send

R = InspectionRequestStatus
REQUEST_TRANSITIONS: dict[str, set[str]] = {
    R.REQUESTED: {R.ACCEPTED, R.DECLINED, R.CANCELLED},
    R.ACCEPTED: {R.COMPLETED, R.CANCELLED},
    R.DECLINED: set(),
    R.CANCELLED: set(),
    R.COMPLETED: set(),
}


# --- requests -------------------------------------------------------------------------------


def _locked_request(request: InspectionRequest, to_status: str) -> InspectionRequest:
    locked = inspection_request_lock(request.pk)
    if to_status not in REQUEST_TRANSITIONS[locked.status]:
        raise ConflictError(
            _("检测申请当前状态为“%(s)s”，不能执行此操作。") % {"s": locked.get_status_display()},
            code="invalid_transition",
        )
    return locked


def _set_request_status(
    request: InspectionRequest, status: str, actor: User | None, note: str = "", **extra
) -> InspectionRequest:
    request.status = status
    for name, value in extra.items():
        setattr(request, name, value)
    request.save(update_fields=["status", "updated_at", *extra])
    record_event(action=f"request_{status}", actor=actor, note=note, request=request)
    return request


def can_request_inspection(user: User | None, organization: Organization, machine: Machine) -> bool:
    from accounts.permissions import has_org_permission

    return has_org_permission(user, organization, Permission.INSPECTION_REQUEST) and (
        machine.owner_id == organization.pk or machine.listings.live().exists()
    )


@transaction.atomic
def inspection_request_create(
    *,
    machine: Machine,
    requester: Organization,
    certifier: Organization,
    actor: User,
    note: str = "",
) -> InspectionRequest:
    """The owner (or a buyer, for a machine on sale) asks a certifier to inspect a machine.

    A buyer's request (booked from the listing page) follows the platform's rule for every
    inspection: the requester pays the certifier's fee, settled directly with the certifier
    (the platform charges nothing); the certifier must be independent of the seller
    (``ensure_independent``); the submitted report is public like every report (grade and
    number on the listing, the full report on its verification page), so a seller cannot
    hide an unfavourable one, and it goes to both the requester and the owner. The seller's
    listing managers are told, so that they can give the inspector access to the machine.
    """
    require_org_permission(actor, requester, Permission.INSPECTION_REQUEST)
    machine = machine_lock(machine.pk)
    ensure_not_scrapped(machine)
    if machine.owner_id != requester.pk and not machine.listings.live().exists():
        raise ConflictError(_("只能为自有设备或在售设备申请检测。"), code="machine_not_available")
    if certifier.kind != OrganizationKind.CERTIFIER:
        raise DomainError(_("请选择一家认证检测机构。"), fields={"certifier": [_("无效的机构。")]})
    ensure_independent(certifier=certifier, machine=machine)
    try:
        with transaction.atomic():
            request = InspectionRequest.objects.create(
                machine=machine,
                requester=requester,
                requested_by=actor,
                certifier=certifier,
                note=note,
            )
    except IntegrityError as exc:
        raise ConflictError(
            _("该机构已有一个未完成的检测申请。"), code="request_already_open"
        ) from exc
    record_event(action="request_created", actor=actor, request=request)
    if requester.pk != machine.owner_id:
        _notify_owner_of_buyer_request(request)
    return request


def _notify_owner_of_buyer_request(request: InspectionRequest) -> None:
    from accounts.permissions import has_org_permission

    owner = request.machine.owner
    for membership in owner.memberships.select_related("user").order_by("id"):
        if not has_org_permission(membership.user, owner, Permission.LISTING_MANAGE):
            continue
        notification_send(
            recipient=membership.user,
            kind="inspection_requested_by_buyer",
            title=lambda: _("买家预约了对 %(machine)s 的第三方检测") % {"machine": request.machine},
            body=lambda: (
                _("%(buyer)s 委托 %(certifier)s 检测，检测费由买家承担。请配合检测机构安排看机。")
                % {"buyer": request.requester.name, "certifier": request.certifier.name}
            ),
        )


@transaction.atomic
def inspection_request_accept(*, request: InspectionRequest, actor: User) -> InspectionReport:
    """The certifier accepts and gets a draft report to fill in."""
    request = _locked_request(request, R.ACCEPTED)
    require_inspector(actor, request.certifier, Permission.INSPECTION_WRITE)
    require_verified(request.certifier, _("机构完成实名认证后才能受理检测申请。"))
    _set_request_status(request, R.ACCEPTED, actor)
    report = inspection_report_start(
        machine=request.machine, certifier=request.certifier, actor=actor, request=request
    )
    if request.requested_by_id:
        notification_send(
            recipient=request.requested_by,
            kind="inspection_accepted",
            title=lambda: _("检测申请已受理"),
            body=lambda: (
                _("%(org)s 已受理 %(machine)s 的检测申请。")
                % {"org": request.certifier.name, "machine": request.machine}
            ),
        )
    return report


@transaction.atomic
def inspection_request_decline(
    *, request: InspectionRequest, actor: User, reason: str
) -> InspectionRequest:
    request = _locked_request(request, R.DECLINED)
    require_inspector(actor, request.certifier, Permission.INSPECTION_WRITE)
    if not reason.strip():
        raise DomainError(_("请填写拒绝原因。"), fields={"reason": [_("请填写拒绝原因。")]})
    return _set_request_status(request, R.DECLINED, actor, reason, decline_reason=reason)


@transaction.atomic
def inspection_request_cancel(*, request: InspectionRequest, actor: User) -> InspectionRequest:
    request = _locked_request(request, R.CANCELLED)
    require_org_permission(actor, request.requester, Permission.INSPECTION_REQUEST)
    return _set_request_status(request, R.CANCELLED, actor)
