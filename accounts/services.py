"""Writes for accounts: organizations, memberships and the KYC state machine."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import KycEvent, KycStatus, Membership, Organization, User
from accounts.permissions import require_platform_staff
from core.errors import ConflictError

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


@transaction.atomic
def organization_kyc_submit(*, organization: Organization, actor: User) -> Organization:
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
