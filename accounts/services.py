"""Writes for accounts: organizations, memberships and the KYC state machine."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import KycEvent, KycStatus, Membership, Organization, Role, User
from accounts.permissions import require_platform_staff
from accounts.validators import validate_credit_code
from core.errors import ConflictError, DomainError, PermissionDeniedError

KYC_TRANSITIONS: dict[str, set[str]] = {
    KycStatus.UNVERIFIED: {KycStatus.PENDING},
    KycStatus.PENDING: {KycStatus.VERIFIED, KycStatus.REJECTED},
    KycStatus.REJECTED: {KycStatus.PENDING},
    KycStatus.VERIFIED: {KycStatus.PENDING},
}


@transaction.atomic
def organization_create(
    *,
    name: str,
    kind: str,
    owner: User,
    credit_code: str = "",
    province: str = "",
    city: str = "",
    **extra: object,
) -> Organization:
    organization = Organization(
        name=name,
        kind=kind,
        credit_code=credit_code.upper(),
        province=province,
        city=city,
        **extra,
    )
    organization.full_clean()
    organization.save()
    Membership.objects.create(user=owner, organization=organization, role="owner")
    return organization


def _kyc_transition(
    *, organization: Organization, to_status: str, actor: User | None, note: str = ""
) -> Organization:
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if to_status not in KYC_TRANSITIONS[organization.kyc_status]:
        raise ConflictError(
            _("认证状态不能从“%(src)s”变为“%(dst)s”。")
            % {"src": organization.get_kyc_status_display(), "dst": KycStatus(to_status).label}
        )
    from_status = organization.kyc_status
    organization.kyc_status = to_status
    organization.kyc_note = note
    organization.kyc_reviewed_at = timezone.now() if to_status != KycStatus.PENDING else None
    organization.save(update_fields=["kyc_status", "kyc_note", "kyc_reviewed_at"])
    KycEvent.objects.create(
        organization=organization,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        note=note,
    )
    return organization


ORGANIZATION_MANAGER_ROLES = {Role.OWNER, Role.ADMIN}


def can_manage_organization(user: User | None, organization: Organization) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, organization=organization, role__in=ORGANIZATION_MANAGER_ROLES
    ).exists()


@transaction.atomic
def organization_kyc_submit(
    *, organization: Organization, actor: User, credit_code: str | None = None
) -> Organization:
    """An owner or admin submits the organization for real-name verification.

    The credit code may be given here; it is validated (GB 32100 check character) and must
    not belong to another organization.
    """
    if not can_manage_organization(actor, organization):
        raise PermissionDeniedError(_("只有机构负责人或管理员可以提交实名认证。"))
    if credit_code is not None:
        code = credit_code.strip().upper()
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            raise DomainError(exc.messages[0], fields={"credit_code": exc.messages}) from exc
        taken = Organization.objects.filter(credit_code=code).exclude(pk=organization.pk)
        if taken.exists():
            message = _("该统一社会信用代码已被其他机构使用。")
            raise DomainError(message, fields={"credit_code": [message]})
        Organization.objects.filter(pk=organization.pk).update(credit_code=code)
        organization.credit_code = code
    if not organization.credit_code:
        raise ConflictError(_("请先填写统一社会信用代码。"), code="credit_code_missing")
    return _kyc_transition(organization=organization, to_status=KycStatus.PENDING, actor=actor)


@transaction.atomic
def organization_kyc_approve(*, organization: Organization, actor: User) -> Organization:
    require_platform_staff(actor)
    return _kyc_transition(organization=organization, to_status=KycStatus.VERIFIED, actor=actor)


@transaction.atomic
def organization_kyc_reject(
    *, organization: Organization, actor: User, reason: str
) -> Organization:
    require_platform_staff(actor)
    if not reason.strip():
        raise ConflictError(
            _("驳回时必须填写原因。"),
            code="reason_required",
            fields={"reason": [_("驳回时必须填写原因。")]},
        )
    return _kyc_transition(
        organization=organization, to_status=KycStatus.REJECTED, actor=actor, note=reason
    )
