from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_credit_code
from core.storage import RandomName, private_storage


class User(AbstractUser):
    """A person. What they may do comes from their organization memberships."""

    display_name = models.CharField(_("显示名称"), max_length=100, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    preferred_language = models.CharField(
        _("界面语言"), max_length=10, default="zh-hans", blank=True
    )

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def primary_membership(self) -> "Membership | None":
        cached = getattr(self, "_primary_membership", None)
        if cached is None:
            cached = self.memberships.select_related("organization").order_by("id").first()
            self._primary_membership = cached
        return cached

    @property
    def organization(self) -> "Organization | None":
        membership = self.primary_membership
        return membership.organization if membership else None


class OrganizationKind(models.TextChoices):
    DEALER = "dealer", _("经销商")
    BUYER = "buyer", _("买家")
    LESSOR = "lessor", _("融资租赁公司")
    CERTIFIER = "certifier", _("认证检测机构")
    RECYCLER = "recycler", _("回收拆解企业")
    PLATFORM = "platform", _("平台")


class KycStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("未认证")
    PENDING = "pending", _("审核中")
    VERIFIED = "verified", _("已认证")
    REJECTED = "rejected", _("已驳回")


class SellerType(models.TextChoices):
    DEALER = "dealer", _("经销商")
    OEM = "oem", _("主机厂")
    RENTAL = "rental", _("租赁车队")
    PRIVATE = "private", _("个人/企业自有")


class OrganizationQuerySet(models.QuerySet):
    def verified(self) -> "OrganizationQuerySet":
        return self.filter(kyc_status=KycStatus.VERIFIED)

    def of_kind(self, kind: str) -> "OrganizationQuerySet":
        return self.filter(kind=kind)


class Organization(models.Model):
    wagtail_reference_index_ignore = True  # domain rows: not Wagtail content (issue #13)

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=OrganizationKind.choices)
    seller_type = models.CharField(
        _("卖家类型"), max_length=20, choices=SellerType.choices, default=SellerType.DEALER
    )
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    kyc_status = models.CharField(
        _("认证状态"), max_length=20, choices=KycStatus.choices, default=KycStatus.UNVERIFIED
    )
    kyc_note = models.TextField(_("审核意见"), blank=True)
    kyc_reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    province = models.CharField(_("省份"), max_length=50, blank=True)
    city = models.CharField(_("城市"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    description = models.TextField(_("简介"), blank=True)
    business_licence = models.FileField(
        _("营业执照"),
        storage=private_storage,
        upload_to=RandomName("kyc/licences"),
        max_length=200,
        blank=True,
    )
    is_trusted_seller = models.BooleanField(
        _("可信卖家"),
        default=False,
        help_text=_("由平台工作人员设置：可信卖家的挂牌发布时无需人工审核。"),
    )
    is_simulated = models.BooleanField(_("模拟数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="organization_unique_credit_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.kyc_status == KycStatus.VERIFIED


class Role(models.TextChoices):
    OWNER = "owner", _("负责人")
    ADMIN = "admin", _("管理员")
    SALES = "sales", _("销售")
    INSPECTOR = "inspector", _("检测师")
    FINANCE = "finance", _("金融专员")
    BUYER = "buyer", _("采购")
    VIEWER = "viewer", _("只读成员")


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("机构成员")
        verbose_name_plural = _("机构成员")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


class KycEvent(models.Model):
    """Audit trail of KYC decisions."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="kyc_events"
    )
    from_status = models.CharField(max_length=20, choices=KycStatus.choices)
    to_status = models.CharField(max_length=20, choices=KycStatus.choices)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.from_status} → {self.to_status}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("待接受")
    ACCEPTED = "accepted", _("已接受")
    REVOKED = "revoked", _("已撤销")


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(status=InvitationStatus.PENDING)


class Invitation(models.Model):
    """An owner's or admin's invitation for someone to join the organization with a role.

    Only the SHA-256 of the token is stored; the token itself is in the e-mailed link and
    works once, until ``expires_at``.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("邮箱"))
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=InvitationStatus.choices,
        default=InvitationStatus.PENDING,
    )
    invited_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("成员邀请")
        verbose_name_plural = _("成员邀请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=models.Q(status="pending"),
                name="invitation_one_pending_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization_id} ({self.role})"
