"""Explicit permission names and the one rule that grants them.

Services call :func:`require_org_permission`; templates and the API use
:func:`has_org_permission` for ``can_*`` display decisions, so all layers share one rule.
"""

from enum import StrEnum

from django.utils.translation import gettext as _

from accounts.models import Membership, Organization, OrganizationKind, Role, User
from core.errors import PermissionDeniedError


class Permission(StrEnum):
    LISTING_MANAGE = "listing.manage"
    LISTING_MODERATE = "listing.moderate"
    TRADE_BUY = "trade.buy"
    TRADE_SELL = "trade.sell"
    LEASE_PRODUCT_MANAGE = "lease.product_manage"
    LEASE_APPLICATION_REVIEW = "lease.application_review"
    LEASE_APPLY = "lease.apply"
    INSPECTION_REQUEST = "certification.inspection_request"
    INSPECTION_WRITE = "certification.inspection_write"
    CERTIFICATE_ISSUE = "certification.certificate_issue"
    DISPOSAL_QUOTE = "recycling.disposal_quote"
    RFQ_CREATE = "procurement.rfq_create"
    RFQ_RESPOND = "procurement.rfq_respond"


_MANAGERS = {Role.OWNER, Role.ADMIN}

# (organization kind, permission) -> roles that hold it.
GRANTS: dict[tuple[str, Permission], set[str]] = {
    (OrganizationKind.DEALER, Permission.LISTING_MANAGE): _MANAGERS | {Role.SALES},
    (OrganizationKind.DEALER, Permission.TRADE_SELL): _MANAGERS | {Role.SALES},
    (OrganizationKind.DEALER, Permission.TRADE_BUY): _MANAGERS | {Role.SALES, Role.BUYER},
    (OrganizationKind.DEALER, Permission.INSPECTION_REQUEST): _MANAGERS | {Role.SALES},
    (OrganizationKind.DEALER, Permission.LEASE_APPLY): _MANAGERS | {Role.FINANCE},
    (OrganizationKind.DEALER, Permission.RFQ_RESPOND): _MANAGERS | {Role.SALES},
    (OrganizationKind.DEALER, Permission.RFQ_CREATE): _MANAGERS | {Role.BUYER},
    (OrganizationKind.BUYER, Permission.TRADE_BUY): _MANAGERS | {Role.BUYER},
    (OrganizationKind.BUYER, Permission.LEASE_APPLY): _MANAGERS | {Role.BUYER, Role.FINANCE},
    (OrganizationKind.BUYER, Permission.RFQ_CREATE): _MANAGERS | {Role.BUYER},
    (OrganizationKind.BUYER, Permission.INSPECTION_REQUEST): _MANAGERS | {Role.BUYER},
    (OrganizationKind.LESSOR, Permission.LEASE_PRODUCT_MANAGE): _MANAGERS | {Role.FINANCE},
    (OrganizationKind.LESSOR, Permission.LEASE_APPLICATION_REVIEW): _MANAGERS | {Role.FINANCE},
    (OrganizationKind.CERTIFIER, Permission.INSPECTION_WRITE): {Role.INSPECTOR},
    (OrganizationKind.CERTIFIER, Permission.CERTIFICATE_ISSUE): {Role.INSPECTOR},
    (OrganizationKind.RECYCLER, Permission.DISPOSAL_QUOTE): _MANAGERS | {Role.SALES},
}


def membership_for(user: User | None, organization: Organization) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organization=organization).first()


def has_org_permission(
    user: User | None, organization: Organization | None, permission: Permission
) -> bool:
    """True when the user is a member of the organization with a role that grants it."""
    if organization is None:
        return False
    membership = membership_for(user, organization)
    if membership is None:
        return False
    return membership.role in GRANTS.get((organization.kind, permission), set())


def require_org_permission(
    user: User | None, organization: Organization | None, permission: Permission
) -> None:
    if not has_org_permission(user, organization, permission):
        raise PermissionDeniedError(_("您没有执行此操作的权限。"))


def is_platform_staff(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


def require_platform_staff(user: User | None) -> None:
    if not is_platform_staff(user):
        raise PermissionDeniedError(_("仅平台工作人员可以执行此操作。"))


def organizations_with_permission(user: User | None, permission: Permission) -> list[Organization]:
    """The user's organizations in which they hold ``permission`` (for pickers and lists)."""
    if user is None or not user.is_authenticated:
        return []
    memberships = Membership.objects.filter(user=user).select_related("organization")
    return [
        m.organization
        for m in memberships
        if m.role in GRANTS.get((m.organization.kind, permission), set())
    ]


def require_verified(organization: Organization, message: str) -> None:
    """Unverified organizations may browse but not trade: refuse with ``message`` until staff
    have approved the organization's real-name verification (KYC)."""
    if not organization.is_verified:
        raise PermissionDeniedError(message, code="organization_not_verified")
