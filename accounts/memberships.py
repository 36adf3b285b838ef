"""The request user's memberships and roles, read once per request (dashboard and role menu).

Each app's ``dashboard`` module decides what to show with these: they answer from the
permission table in accounts.permissions without a query per call.
"""

from django.http import HttpRequest

from accounts.models import Membership, Organization
from accounts.permissions import GRANTS, Permission, is_platform_staff


def user_memberships(request: HttpRequest) -> list[Membership]:
    """The user's memberships with their organizations, read once per request."""
    cached = getattr(request, "_dashboard_memberships", None)
    if cached is None:
        user = getattr(request, "user", None)
        cached = (
            list(Membership.objects.filter(user=user).select_related("organization"))
            if user is not None and user.is_authenticated
            else []
        )
        request._dashboard_memberships = cached
    return cached


def organizations_holding(request: HttpRequest, permission: Permission) -> list[Organization]:
    """The request user's organizations in which they hold ``permission`` (the same rule as
    accounts.permissions.organizations_with_permission, without a query per call)."""
    return [
        m.organization
        for m in user_memberships(request)
        if m.role in GRANTS.get((m.organization.kind, permission), set())
    ]


def holds(request: HttpRequest, permission: Permission) -> bool:
    return bool(organizations_holding(request, permission))


def is_staff(request: HttpRequest) -> bool:
    return is_platform_staff(getattr(request, "user", None))
