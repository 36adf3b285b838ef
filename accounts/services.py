"""Writes for accounts: organizations, memberships, invitations and the KYC state machine.

Side effects: KYC submissions notify platform staff, decisions notify the organization's
members, invitations are e-mailed; all after the commit (``notification_send``,
``transaction.on_commit``).
"""

import hashlib
import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import (
    Invitation,
    InvitationStatus,
    KycEvent,
    KycStatus,
    Membership,
    Organization,
    OrganizationKind,
    Role,
    User,
)
from accounts.permissions import require_platform_staff
from accounts.validators import validate_credit_code
from core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from core.geo import CITIES_BY_NAME
from core.storage import save_deleted_on_rollback
from core.uploads import clean_document_upload
from notifications.services import language_of, notification_send

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


def _checked_credit_code(credit_code: str, *, exclude_pk: int | None = None) -> str:
    """The code in canonical form, checked (GB 32100 check character) and not taken."""
    code = credit_code.strip().upper()
    try:
        validate_credit_code(code)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], fields={"credit_code": exc.messages}) from exc
    taken = Organization.objects.filter(credit_code=code)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        message = _("该统一社会信用代码已被其他机构使用。")
        raise DomainError(message, fields={"credit_code": [message]})
    return code


def _store_licence(organization: Organization, upload: UploadedFile) -> None:
    """Check the licence by its content and store it in private storage under a random
    name with the detected type's extension; the file is removed if the transaction rolls
    back."""
    try:
        document = clean_document_upload(upload)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], fields={"business_licence": exc.messages}) from exc
    save_deleted_on_rollback(organization.business_licence, document.content.name, document.content)


REGISTRABLE_KINDS = frozenset(OrganizationKind.values) - {OrganizationKind.PLATFORM}


@transaction.atomic
def organization_register(
    *,
    actor: User,
    kind: str,
    name: str,
    credit_code: str,
    city: str,
    phone: str,
    business_licence: UploadedFile,
) -> Organization:
    """A signed-up person registers their company; they become its owner.

    The organization starts unverified: it can browse, and trade once staff have verified
    it (``organization_kyc_submit`` then ``organization_kyc_approve``).
    """
    if actor is None or not actor.is_authenticated:
        raise PermissionDeniedError(_("请先登录。"))
    if kind not in REGISTRABLE_KINDS:
        message = _("请选择有效的机构类型。")
        raise DomainError(message, fields={"kind": [message]})
    name = name.strip()
    if not name:
        message = _("请填写机构名称。")
        raise DomainError(message, fields={"name": [message]})
    found = CITIES_BY_NAME.get(city)
    if found is None or found.name != city:
        message = _("请选择平台服务的城市。")
        raise DomainError(message, fields={"city": [message]})
    code = _checked_credit_code(credit_code)
    organization = Organization(
        name=name[:200],
        kind=kind,
        credit_code=code,
        province=found.province,
        city=found.name,
        phone=phone.strip()[:30],
    )
    _store_licence(organization, business_licence)
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError as exc:  # the same code registered a moment ago
        message = _("该统一社会信用代码已被其他机构使用。")
        raise DomainError(message, fields={"credit_code": [message]}) from exc
    Membership.objects.create(user=actor, organization=organization, role=Role.OWNER)
    return organization


def _notify_staff_of_submission(organization: Organization) -> None:
    url = reverse("accounts_kyc:review", args=[organization.pk])
    for staff in User.objects.filter(is_staff=True, is_active=True).order_by("id"):
        notification_send(
            recipient=staff,
            kind="kyc_submitted",
            title=lambda: _("新的机构实名认证申请：%(name)s") % {"name": organization.name},
            body=lambda: (
                _("%(kind)s · 统一社会信用代码 %(code)s")
                % {"kind": organization.get_kind_display(), "code": organization.credit_code}
            ),
            url=url,
        )


def _notify_members_of_decision(organization: Organization) -> None:
    """Each member reads the decision in their language (notifications.services)."""
    if organization.kyc_status == KycStatus.VERIFIED:

        def title() -> str:
            return _("机构已通过实名认证：%(name)s") % {"name": organization.name}

        def body() -> str:
            return _("现在可以在平台上交易了。")
    else:

        def title() -> str:
            return _("机构实名认证被驳回：%(name)s") % {"name": organization.name}

        def body() -> str:
            return _("驳回原因：%(reason)s。修改后可以重新提交。") % {
                "reason": organization.kyc_note
            }

    url = reverse("accounts:organization_kyc", args=[organization.pk])
    members = User.objects.filter(memberships__organization=organization, is_active=True)
    for member in members.order_by("id"):
        notification_send(recipient=member, kind="kyc_decision", title=title, body=body, url=url)


@transaction.atomic
def organization_kyc_submit(
    *,
    organization: Organization,
    actor: User,
    credit_code: str | None = None,
    business_licence: UploadedFile | None = None,
) -> Organization:
    """An owner or admin submits the organization for real-name verification.

    The credit code may be given (or corrected) here; it is validated (GB 32100 check
    character) and must not belong to another organization. A business licence must be on
    file or given now; a new one replaces the old. Platform staff are notified.
    """
    if not can_manage_organization(actor, organization):
        raise PermissionDeniedError(_("只有机构负责人或管理员可以提交实名认证。"))
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if KycStatus.PENDING not in KYC_TRANSITIONS[organization.kyc_status]:
        raise ConflictError(
            _("认证状态不能从“%(src)s”变为“%(dst)s”。")
            % {
                "src": organization.get_kyc_status_display(),
                "dst": KycStatus.PENDING.label,
            }
        )
    update_fields = []
    if credit_code is not None:
        organization.credit_code = _checked_credit_code(credit_code, exclude_pk=organization.pk)
        update_fields.append("credit_code")
    if not organization.credit_code:
        raise ConflictError(_("请先填写统一社会信用代码。"), code="credit_code_missing")
    if business_licence is not None:
        _store_licence(organization, business_licence)
        update_fields.append("business_licence")
    if not organization.business_licence:
        message = _("请上传营业执照。")
        raise DomainError(message, code="licence_missing", fields={"business_licence": [message]})
    if update_fields:
        organization.save(update_fields=update_fields)
    organization = _kyc_transition(
        organization=organization, to_status=KycStatus.PENDING, actor=actor
    )
    _notify_staff_of_submission(organization)
    return organization


@transaction.atomic
def organization_kyc_approve(*, organization: Organization, actor: User) -> Organization:
    require_platform_staff(actor)
    organization = _kyc_transition(
        organization=organization, to_status=KycStatus.VERIFIED, actor=actor
    )
    _notify_members_of_decision(organization)
    return organization


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
    organization = _kyc_transition(
        organization=organization, to_status=KycStatus.REJECTED, actor=actor, note=reason.strip()
    )
    _notify_members_of_decision(organization)
    return organization


@transaction.atomic
def organization_set_trusted_seller(
    *, organization: Organization, actor: User, is_trusted: bool
) -> Organization:
    """Staff mark an organization a trusted seller (its listings skip manual moderation)."""
    require_platform_staff(actor)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if is_trusted and not organization.is_verified:
        raise ConflictError(_("只有已通过实名认证的机构可以设为可信卖家。"), code="not_verified")
    organization.is_trusted_seller = is_trusted
    organization.save(update_fields=["is_trusted_seller"])
    return organization


# --- Members and invitations ---------------------------------------------------------------


def _require_manager(actor: User | None, organization: Organization) -> Membership:
    membership = (
        Membership.objects.filter(user=actor, organization=organization).first()
        if actor is not None and actor.is_authenticated
        else None
    )
    if membership is None or membership.role not in ORGANIZATION_MANAGER_ROLES:
        raise PermissionDeniedError(_("只有机构负责人或管理员可以管理成员。"))
    return membership


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invitation_language(email: str) -> str:
    invitee = User.objects.filter(email__iexact=email, is_active=True).order_by("id").first()
    return language_of(invitee) if invitee else translation.get_language() or settings.LANGUAGE_CODE


def _send_invitation_email(
    *, email: str, organization_name: str, role: str, link: str, language: str
) -> None:
    """In the invitee's language when they already have an account, else the inviter's."""
    with translation.override(language):
        subject = _("[Ironloop] 邀请您加入%(name)s") % {"name": organization_name}
        message = _(
            "%(name)s 邀请您以“%(role)s”的身份加入 Ironloop 平台上的机构。\n\n"
            "打开以下链接接受邀请（%(days)d 天内有效，仅可使用一次）：\n%(link)s\n\n"
            "如果您还没有账号，请先用这个邮箱注册。"
        ) % {
            "name": organization_name,
            "role": Role(role).label,
            "days": settings.ORGANIZATION_INVITATION_DAYS,
            "link": link,
        }
    send_mail(
        subject=subject,
        message=message,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[email],
    )


@transaction.atomic
def invitation_create(
    *, organization: Organization, actor: User, email: str, role: str, base_url: str
) -> tuple[Invitation, str]:
    """An owner or admin invites someone by e-mail; returns the invitation and its token.

    Only owners may invite another owner. A pending invitation to the same address is
    replaced (the old link stops working). The e-mail goes out after the commit.
    """
    manager = _require_manager(actor, organization)
    if role not in Role.values:
        message = _("请选择有效的角色。")
        raise DomainError(message, fields={"role": [message]})
    if role == Role.OWNER and manager.role != Role.OWNER:
        raise PermissionDeniedError(_("只有负责人可以邀请新的负责人。"))
    email = email.strip().lower()
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        message = _("此邮箱的用户已是本机构成员。")
        raise ConflictError(message, code="already_member", fields={"email": [message]})
    now = timezone.now()
    Invitation.objects.pending().filter(organization=organization, email=email).update(
        status=InvitationStatus.REVOKED, decided_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        token_hash=_token_hash(token),
        invited_by=actor,
        expires_at=now + timedelta(days=settings.ORGANIZATION_INVITATION_DAYS),
    )
    link = base_url.rstrip("/") + reverse("accounts:invitation_accept", args=[token])
    transaction.on_commit(
        partial(
            _send_invitation_email,
            email=email,
            organization_name=organization.name,
            role=role,
            link=link,
            language=_invitation_language(email),
        )
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation:
    """The pending, unexpired invitation of a token, or NotFoundError."""
    invitation = (
        Invitation.objects.select_related("organization")
        .filter(token_hash=_token_hash(token or ""))
        .first()
    )
    if invitation is None or invitation.status != InvitationStatus.PENDING:
        raise NotFoundError(_("邀请链接无效或已被使用。"), code="invitation_invalid")
    if invitation.expires_at <= timezone.now():
        raise NotFoundError(_("邀请链接已过期，请联系机构管理员重新邀请。"), code="expired")
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, actor: User) -> Membership:
    """The invitee, logged in with the invited e-mail address, joins with the given role."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDeniedError(_("请先登录。"))
    invitation = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise NotFoundError(_("邀请链接无效或已被使用。"), code="invitation_invalid")
    if (actor.email or "").strip().lower() != invitation.email:
        raise PermissionDeniedError(
            _("此邀请发给 %(email)s，请用该邮箱的账号登录后接受。") % {"email": invitation.email},
            code="wrong_account",
        )
    if Membership.objects.filter(user=actor, organization=invitation.organization).exists():
        raise ConflictError(_("您已是该机构的成员。"), code="already_member")
    membership = Membership.objects.create(
        user=actor, organization=invitation.organization, role=invitation.role
    )
    invitation.status = InvitationStatus.ACCEPTED
    invitation.accepted_by = actor
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_by", "decided_at"])
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    _require_manager(actor, invitation.organization)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise ConflictError(_("该邀请已不再有效。"), code="not_pending")
    invitation.status = InvitationStatus.REVOKED
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["status", "decided_at"])
    return invitation


def _lock_owners(organization: Organization) -> list[Membership]:
    return list(
        Membership.objects.select_for_update()
        .filter(organization=organization, role=Role.OWNER)
        .order_by("pk")
    )


def _check_may_change(manager: Membership, target: Membership, new_role: str | None) -> None:
    """Admins manage everyone but owners; only owners touch owners or make new ones."""
    touches_owner = target.role == Role.OWNER or new_role == Role.OWNER
    if touches_owner and manager.role != Role.OWNER:
        raise PermissionDeniedError(_("只有负责人可以变更负责人。"))


@transaction.atomic
def membership_change_role(*, membership: Membership, actor: User, role: str) -> Membership:
    manager = _require_manager(actor, membership.organization)
    if role not in Role.values:
        message = _("请选择有效的角色。")
        raise DomainError(message, fields={"role": [message]})
    owners = _lock_owners(membership.organization)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _check_may_change(manager, membership, role)
    if membership.role == Role.OWNER and role != Role.OWNER and len(owners) <= 1:
        raise ConflictError(_("机构至少需要一位负责人。"), code="last_owner")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    manager = _require_manager(actor, membership.organization)
    owners = _lock_owners(membership.organization)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _check_may_change(manager, membership, None)
    if membership.role == Role.OWNER and len(owners) <= 1:
        raise ConflictError(_("机构至少需要一位负责人。"), code="last_owner")
    membership.delete()
