"""Who may act on a lease application, its status transitions and notifications.

Visibility is part of the rule: an actor who is not a member of the applicant or of the
lessor gets ``NotFoundError`` (the application does not exist for them); a member without
the right permission gets ``PermissionDeniedError``. Every refusal changes nothing."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Membership, Organization, User
from accounts.permissions import GRANTS, Permission, has_org_permission
from core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from leasing.lock_objects import lease_application_lock
from leasing.models import (
    ApplicationStatus,
    LeaseApplication,
    LeaseApplicationEvent,
)
from notifications.services import notification_send

S = ApplicationStatus
MAX_DOCUMENTS = 20
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DEFAULT_VALIDITY = dt.timedelta(days=90)
DOCUMENT_STATUSES = (S.SUBMITTED, S.INFO_REQUESTED, S.RESUBMITTED)


# --- who may do what ----------------------------------------------------------------------


def _is_party(actor: User | None, application: LeaseApplication) -> bool:
    if actor is None or not actor.is_authenticated:
        return False
    return Membership.objects.filter(
        user=actor, organization_id__in=[application.applicant_id, application.lessor_id]
    ).exists()


def require_application_permission(
    actor: User | None, application: LeaseApplication, permission: Permission
) -> None:
    organization = (
        application.lessor
        if permission == Permission.LEASE_APPLICATION_REVIEW
        else application.applicant
    )
    if has_org_permission(actor, organization, permission):
        return
    if _is_party(actor, application):
        raise PermissionDeniedError(_("您没有执行此操作的权限。"))
    raise NotFoundError(_("申请不存在。"))


def can_review_application(user: User | None, application: LeaseApplication) -> bool:
    return has_org_permission(user, application.lessor, Permission.LEASE_APPLICATION_REVIEW)


def can_act_as_applicant(user: User | None, application: LeaseApplication) -> bool:
    return has_org_permission(user, application.applicant, Permission.LEASE_APPLY)


def locked_application(application: LeaseApplication) -> LeaseApplication:
    return lease_application_lock(
        application.pk,
        related=("lessor", "applicant", "product", "listing", "machine", "submitted_by"),
    )


def _check_transition(application: LeaseApplication, to_status: str) -> None:
    if not application.can_transition(to_status):
        raise ConflictError(
            _("申请状态不能从“%(src)s”变为“%(dst)s”。")
            % {"src": application.get_status_display(), "dst": ApplicationStatus(to_status).label},
            code="invalid_transition",
        )


def _transition(
    application: LeaseApplication,
    *,
    to_status: str,
    actor: User,
    note: str = "",
    fields: dict[str, object] | None = None,
) -> LeaseApplication:
    """Check the source state, save with update_fields, write the event row."""
    _check_transition(application, to_status)
    from_status = application.status
    application.status = to_status
    update_fields = ["status", "updated_at"]
    for name, value in (fields or {}).items():
        setattr(application, name, value)
        update_fields.append(name)
    application.save(update_fields=update_fields)
    LeaseApplicationEvent.objects.create(
        application=application,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        note=note,
    )
    return application


def _notify(
    application: LeaseApplication, organization: Organization, permission: Permission, message: str
) -> None:
    """``message`` is marked with ``gettext_noop``: each member reads it in their language."""
    roles = GRANTS.get((organization.kind, permission), set())
    members = Membership.objects.filter(organization=organization, role__in=roles).select_related(
        "user"
    )
    for membership in members:
        notification_send(
            recipient=membership.user,
            kind="leasing",
            title=lambda: _(message) % {"id": application.pk},
            url=_url(application),
        )


def _url(application: LeaseApplication) -> str:
    return reverse("leasing:application_detail", args=[application.pk])


def notify_lessor(application: LeaseApplication, message: str) -> None:
    _notify(application, application.lessor, Permission.LEASE_APPLICATION_REVIEW, message)


def notify_applicant(application: LeaseApplication, message: str) -> None:
    _notify(application, application.applicant, Permission.LEASE_APPLY, message)


def _required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, code="required", fields={field: [message]})
    return value
