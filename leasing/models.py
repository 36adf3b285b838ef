"""Models of the leasing app: lessors' products, lessees' applications, signed contracts.

Business rules live in ``leasing.services``; the database enforces the invariants that
must hold whatever code writes (one active contract per machine, sane shares and terms).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import currency_field, money_field
from core.storage import RandomName, private_storage
from leasing.engine import LeaseType as EngineLeaseType
from leasing.engine import Method as EngineMethod
from leasing.engine import Timing as EngineTiming

SHARE_DIGITS = {"max_digits": 5, "decimal_places": 4}


def share_field(verbose_name: str, **kwargs) -> models.DecimalField:
    """A fraction 0..1 (0.3 = 30%) with four places, like the engine's rates."""
    return models.DecimalField(verbose_name, **SHARE_DIGITS, **kwargs)


class LeaseType(models.TextChoices):
    DIRECT = EngineLeaseType.DIRECT.value, _("直租")
    SALE_LEASEBACK = EngineLeaseType.SALE_LEASEBACK.value, _("售后回租")


class RepaymentMethod(models.TextChoices):
    ANNUITY = EngineMethod.ANNUITY.value, _("等额本息")
    EQUAL_PRINCIPAL = EngineMethod.EQUAL_PRINCIPAL.value, _("等额本金")
    FLAT = EngineMethod.FLAT.value, _("平息（仅供对比）")


class RentTiming(models.TextChoices):
    ARREARS = EngineTiming.ARREARS.value, _("后付（期末）")
    ADVANCE = EngineTiming.ADVANCE.value, _("先付（期初）")


class LeaseProductQuerySet(models.QuerySet):
    def active(self) -> LeaseProductQuerySet:
        return self.filter(is_active=True)


class LeaseProduct(models.Model):
    """A finance-lease offer a lessor publishes for machines that meet its criteria."""

    wagtail_reference_index_ignore = True  # domain rows: not Wagtail content (issue #13)

    lessor = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="lease_products"
    )
    name = models.CharField(_("产品名称"), max_length=100)
    description = models.TextField(_("产品说明"), blank=True)
    categories = models.ManyToManyField(
        "marketplace.Category",
        related_name="lease_products",
        verbose_name=_("适用类别"),
        help_text=_("包含所选类别的全部子类别。"),
    )
    max_machine_age_years = models.PositiveSmallIntegerField(
        _("最大机龄（年）"), null=True, blank=True
    )
    max_hours = models.PositiveIntegerField(_("最大小时数"), null=True, blank=True)
    min_term_months = models.PositiveSmallIntegerField(_("最短期限（月）"), default=12)
    max_term_months = models.PositiveSmallIntegerField(_("最长期限（月）"), default=60)
    allowed_terms = models.JSONField(
        _("可选期限（月）"),
        default=list,
        blank=True,
        help_text=_("留空表示期限范围内每 12 个月一档。"),
    )
    default_annual_rate = share_field(_("默认年利率"))
    min_down_payment_share = share_field(_("最低首付比例"), default=Decimal("0.2"))
    max_ltv = share_field(_("最高融资比例（占估值）"), default=Decimal("0.8"))
    deposit_share = share_field(_("保证金比例（占融资额）"), default=Decimal(0))
    fee_fixed = money_field(_("固定手续费"), default=Decimal(0))
    fee_share = share_field(_("手续费比例（占融资额）"), default=Decimal(0))
    buyout_price = money_field(_("留购价"), default=Decimal(100))
    balloon_allowed = models.BooleanField(_("允许尾付/残值"), default=False)
    allows_direct = models.BooleanField(_("支持直租"), default=True)
    allows_sale_leaseback = models.BooleanField(_("支持售后回租"), default=False)
    currency = currency_field()
    is_active = models.BooleanField(_("上架"), default=True)
    is_simulated = models.BooleanField(_("模拟数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LeaseProductQuerySet.as_manager()

    class Meta:
        ordering = ["lessor_id", "name", "id"]
        verbose_name = _("融资租赁产品")
        verbose_name_plural = _("融资租赁产品")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    min_term_months__gte=1, min_term_months__lte=models.F("max_term_months")
                )
                & Q(max_term_months__lte=120),
                name="lease_product_term_range",
            ),
            models.CheckConstraint(
                condition=Q(default_annual_rate__gte=0, default_annual_rate__lte=1)
                & Q(min_down_payment_share__gte=0, min_down_payment_share__lt=1)
                & Q(max_ltv__gt=0, max_ltv__lte=1)
                & Q(deposit_share__gte=0, deposit_share__lt=1)
                & Q(fee_share__gte=0, fee_share__lt=1)
                & Q(fee_fixed__gte=0, buyout_price__gte=0),
                name="lease_product_shares_valid",
            ),
            models.CheckConstraint(
                condition=Q(allows_direct=True) | Q(allows_sale_leaseback=True),
                name="lease_product_has_lease_type",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def lease_types(self) -> list[str]:
        types = []
        if self.allows_direct:
            types.append(LeaseType.DIRECT.value)
        if self.allows_sale_leaseback:
            types.append(LeaseType.SALE_LEASEBACK.value)
        return types

    def term_choices(self) -> list[int]:
        """The terms a lessee may pick, in months."""
        if self.allowed_terms:
            return sorted(
                int(term)
                for term in self.allowed_terms
                if self.min_term_months <= int(term) <= self.max_term_months
            )
        terms = list(range(12, self.max_term_months + 1, 12))
        terms = [term for term in terms if term >= self.min_term_months]
        return terms or [self.min_term_months]

    def annual_rate_for(self, *, term_months: int, condition_grade: str = "") -> Decimal:
        """The nominal rate of the narrowest band covering the term (and grade, if any).

        Uses the prefetched ``rate_bands`` so that pages pricing many listings stay at a
        constant number of queries.
        """
        matching = [
            band
            for band in self.rate_bands.all()
            if band.min_term_months <= term_months <= band.max_term_months
            and band.condition_grade in ("", condition_grade)
        ]
        if not matching:
            return self.default_annual_rate
        # A grade-specific band beats a generic one; then the narrowest term band wins.
        matching.sort(
            key=lambda band: (
                band.condition_grade == "",
                band.max_term_months - band.min_term_months,
            )
        )
        return matching[0].annual_rate


class LeaseRateBand(models.Model):
    """Nominal annual rate of a product for a term band, optionally for one condition grade."""

    product = models.ForeignKey(LeaseProduct, on_delete=models.CASCADE, related_name="rate_bands")
    min_term_months = models.PositiveSmallIntegerField(_("期限下限（月）"))
    max_term_months = models.PositiveSmallIntegerField(_("期限上限（月）"))
    condition_grade = models.CharField(_("成色等级"), max_length=1, blank=True)
    annual_rate = share_field(_("年利率"))

    class Meta:
        ordering = ["product_id", "min_term_months", "condition_grade"]
        verbose_name = _("利率档")
        verbose_name_plural = _("利率档")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_term_months__lte=models.F("max_term_months"))
                & Q(annual_rate__gte=0, annual_rate__lte=1),
                name="lease_rate_band_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.min_term_months}-{self.max_term_months}: {self.annual_rate}"


class ApplicationKind(models.TextChoices):
    PURCHASE = "purchase", _("购机融资")
    PREAPPROVAL = "preapproval", _("预审批额度")
    SALE_LEASEBACK = "sale_leaseback", _("售后回租")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    INFO_REQUESTED = "info_requested", _("待补充资料")
    RESUBMITTED = "resubmitted", _("已补充资料")
    APPROVED = "approved", _("已批准")
    DECLINED = "declined", _("已拒绝")
    ACCEPTED = "accepted", _("已接受")
    WITHDRAWN = "withdrawn", _("已撤回")


S = ApplicationStatus
APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    S.SUBMITTED: {S.INFO_REQUESTED, S.APPROVED, S.DECLINED, S.WITHDRAWN},
    S.INFO_REQUESTED: {S.RESUBMITTED, S.DECLINED, S.WITHDRAWN},
    S.RESUBMITTED: {S.INFO_REQUESTED, S.APPROVED, S.DECLINED, S.WITHDRAWN},
    S.APPROVED: {S.ACCEPTED, S.WITHDRAWN},
    S.ACCEPTED: set(),
    S.DECLINED: set(),
    S.WITHDRAWN: set(),
}
OPEN_STATUSES = (S.SUBMITTED, S.INFO_REQUESTED, S.RESUBMITTED, S.APPROVED)


class LeaseApplication(models.Model):
    """A lessee's request for finance, reviewed by the lessor that offers the product."""

    wagtail_reference_index_ignore = True  # domain rows: not Wagtail content (issue #13)

    kind = models.CharField(_("申请类型"), max_length=20, choices=ApplicationKind.choices)
    applicant = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="lease_applications"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    lessor = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="lease_applications_received",
    )
    product = models.ForeignKey(LeaseProduct, on_delete=models.PROTECT, related_name="applications")
    listing = models.ForeignKey(
        "marketplace.Listing",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lease_applications",
    )
    machine = models.ForeignKey(
        "marketplace.Machine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lease_applications",
    )
    lease_type = models.CharField(_("租赁方式"), max_length=20, choices=LeaseType.choices)
    # Requested terms (for a pre-approval: price is the limit asked for).
    price = money_field(_("设备价格/额度"))
    down_payment = money_field(_("首付款"), default=Decimal(0))
    term_months = models.PositiveSmallIntegerField(_("期限（月）"))
    method = models.CharField(
        _("还款方式"),
        max_length=20,
        choices=RepaymentMethod.choices,
        default=RepaymentMethod.ANNUITY,
    )
    timing = models.CharField(
        _("付租时点"), max_length=10, choices=RentTiming.choices, default=RentTiming.ARREARS
    )
    balloon = money_field(_("尾付/残值"), default=Decimal(0))
    message = models.TextField(_("留言"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ApplicationStatus.choices, default=S.SUBMITTED
    )
    info_request_note = models.TextField(_("补充资料要求"), blank=True)
    decline_reason = models.TextField(_("拒绝原因"), blank=True)
    # Final terms set by the lessor on approval.
    approved_price = money_field(_("批准设备价格/额度"), null=True, blank=True)
    approved_down_payment = money_field(_("批准首付款"), null=True, blank=True)
    approved_term_months = models.PositiveSmallIntegerField(
        _("批准期限（月）"), null=True, blank=True
    )
    approved_annual_rate = share_field(_("批准年利率"), null=True, blank=True)
    approved_deposit = money_field(_("保证金"), null=True, blank=True)
    approved_fee = money_field(_("手续费"), null=True, blank=True)
    approved_buyout_price = money_field(_("留购价"), null=True, blank=True)
    approved_balloon = money_field(_("批准尾付"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    currency = currency_field()
    is_simulated = models.BooleanField(_("模拟数据"), default=False)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("融资租赁申请")
        verbose_name_plural = _("融资租赁申请")
        indexes = [models.Index(fields=["lessor", "status"], name="lease_app_lessor_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="purchase", listing__isnull=False)
                | Q(kind="preapproval", listing__isnull=True)
                | Q(kind="sale_leaseback", machine__isnull=False),
                name="lease_application_kind_target",
            ),
            models.UniqueConstraint(
                fields=["applicant", "product", "listing"],
                condition=Q(
                    status__in=["submitted", "info_requested", "resubmitted", "approved"],
                    listing__isnull=False,
                ),
                name="lease_application_one_open_per_listing",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.applicant} → {self.lessor}"

    def can_transition(self, to_status: str) -> bool:
        return to_status in APPLICATION_TRANSITIONS.get(self.status, set())

    @property
    def is_preapproval(self) -> bool:
        return self.kind == ApplicationKind.PREAPPROVAL


class LeaseApplicationEvent(models.Model):
    """Audit trail of an application: every transition, with who did it and why."""

    application = models.ForeignKey(
        LeaseApplication, on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(max_length=20, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status} → {self.to_status}"


class DocumentKind(models.TextChoices):
    BUSINESS_LICENSE = "business_license", _("营业执照")
    ID_CARD = "id_card", _("法定代表人身份证")
    BANK_STATEMENT = "bank_statement", _("银行流水")
    FINANCIAL_STATEMENT = "financial_statement", _("财务报表")
    OWNERSHIP_PROOF = "ownership_proof", _("设备权属证明")
    OTHER = "other", _("其他")


class LeaseDocument(models.Model):
    """A KYC document attached to an application; validated by content on upload."""

    application = models.ForeignKey(
        LeaseApplication, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("资料类型"), max_length=30, choices=DocumentKind.choices)
    # Private storage under a random name with the extension of the detected type; served
    # only by leasing.views.application_document_download.
    file = models.FileField(
        _("文件"), storage=private_storage, upload_to=RandomName("leasing/documents")
    )
    content_type = models.CharField(max_length=10)  # "pdf" or "image", detected by content
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("申请资料")
        verbose_name_plural = _("申请资料")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class ContractStatus(models.TextChoices):
    ACTIVE = "active", _("履行中")
    RELEASED = "released", _("已解除登记")


class LeaseContract(models.Model):
    """A signed lease; while active, the machine is encumbered (Civil Code art. 745)."""

    wagtail_reference_index_ignore = True  # domain rows: not Wagtail content (issue #13)

    application = models.OneToOneField(
        LeaseApplication, on_delete=models.PROTECT, related_name="contract"
    )
    contract_number = models.CharField(_("合同编号"), max_length=30, unique=True)
    lessor = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="lease_contracts_as_lessor"
    )
    lessee = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="lease_contracts_as_lessee"
    )
    machine = models.ForeignKey(
        "marketplace.Machine", on_delete=models.PROTECT, related_name="lease_contracts"
    )
    registry_reference = models.CharField(_("中登网登记编号"), max_length=30)
    lease_type = models.CharField(_("租赁方式"), max_length=20, choices=LeaseType.choices)
    price = money_field(_("设备价格"))
    down_payment = money_field(_("首付款"))
    principal = money_field(_("融资额"))
    term_months = models.PositiveSmallIntegerField(_("期限（月）"))
    annual_rate = share_field(_("名义年利率"))
    method = models.CharField(_("还款方式"), max_length=20, choices=RepaymentMethod.choices)
    timing = models.CharField(_("付租时点"), max_length=10, choices=RentTiming.choices)
    deposit = money_field(_("保证金"))
    fee = money_field(_("手续费"))
    buyout_price = money_field(_("留购价"))
    balloon = money_field(_("尾付"))
    apr = share_field(_("年化利率（APR）"))
    ear = share_field(_("实际年利率（EAR）"))
    schedule = models.JSONField(_("租金计划"), default=list)
    currency = currency_field()
    start_date = models.DateField(_("起租日"))
    end_date = models.DateField(_("到期日"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ContractStatus.choices, default=ContractStatus.ACTIVE
    )
    released_at = models.DateTimeField(_("解除登记时间"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_simulated = models.BooleanField(_("模拟数据"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("融资租赁合同")
        verbose_name_plural = _("融资租赁合同")
        constraints = [
            models.UniqueConstraint(
                fields=["machine"],
                condition=Q(status="active"),
                name="lease_contract_one_active_per_machine",
            ),
        ]

    def __str__(self) -> str:
        return self.contract_number
