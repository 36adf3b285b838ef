"""Reads of the recycling app."""

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.permissions import Permission, is_platform_staff, organizations_with_permission
from marketplace.models import Machine
from recycling.models import OPEN_DISPOSAL_STATUSES, DisposalCertificate, DisposalRequest


def machine_disposal_certificates(machine: Machine) -> list[DisposalCertificate]:
    return list(
        DisposalCertificate.objects.filter(machine=machine)
        .select_related("recycler", "machine__brand")
        .prefetch_related("materials")
        .order_by("issued_at", "id")
    )


def disposal_requests_for_user(user: User) -> QuerySet[DisposalRequest]:
    """The owner's requests, for recyclers every open request plus those they quoted, and
    for platform staff every request."""
    if is_platform_staff(user):
        visible = Q()
    else:
        org_ids = list(user.memberships.values_list("organization_id", flat=True))
        recyclers = organizations_with_permission(user, Permission.DISPOSAL_QUOTE)
        visible = Q(owner_id__in=org_ids)
        if recyclers:
            visible |= Q(status__in=OPEN_DISPOSAL_STATUSES) | Q(quotes__recycler__in=recyclers)
    return (
        DisposalRequest.objects.filter(visible)
        .select_related("machine__brand", "machine__equipment_model", "owner")
        .distinct()
        .order_by("-created_at", "-id")
    )


def disposal_request_get_for_user(*, request_id: int, user: User) -> DisposalRequest | None:
    return disposal_requests_for_user(user).filter(pk=request_id).first()
