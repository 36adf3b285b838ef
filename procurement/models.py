"""Integrated procurement (集成采购): requests for quotation, sealed quotes, questions, awards.

Prices stay sealed until the opening: nothing in this module hides them by itself, so every
read of a quote's prices goes through ``procurement.selectors``, which checks the state.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.money import money_field


class Method(models.TextChoices):
    INQUIRY = "inquiry", _("询价")
    NEGOTIATION = "negotiation", _("竞争性谈判")
    INVITED_TENDER = "invited_tender", _("邀请招标")
    OPEN_TENDER = "open_tender", _("公开招标")


class Visibility(models.TextChoices):
    OPEN = "open", _("公开征集")
    INVITED = "invited", _("仅限受邀供应商")


class RfqStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已截止")
    OPENED = "opened", _("已开标")
    EVALUATING = "evaluating", _("评审中")
    PUBLICITY = "publicity", _("结果公示中")
    AWARDED = "awarded", _("已定标")
    CANCELLED = "cancelled", _("已取消")
    FAILED = "failed", _("流标")


class ItemCondition(models.TextChoices):
    NEW = "new", _("全新")
    USED = "used", _("二手")
    REMANUFACTURED = "remanufactured", _("再制造")


class RequestForQuotationQuerySet(models.QuerySet):
    def published(self) -> "RequestForQuotationQuerySet":
        return self.filter(status=RfqStatus.PUBLISHED)

    def publicity(self) -> "RequestForQuotationQuerySet":
        return self.filter(status=RfqStatus.PUBLICITY)


class RequestForQuotation(models.Model):
    """One procurement: what the buyer needs, how suppliers are chosen and until when."""

    wagtail_reference_index_ignore = True  # domain rows: not Wagtail content (issue #13)

    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("需求说明"), blank=True)
    buyer = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="rfqs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(_("采购方式"), max_length=20, choices=Method.choices)
    visibility = models.CharField(
        _("发布范围"), max_length=10, choices=Visibility.choices, default=Visibility.OPEN
    )
    invited_organizations = models.ManyToManyField(
        "accounts.Organization", blank=True, related_name="rfq_invitations"
    )
    deadline = models.DateTimeField(_("报价截止时间"))
    opening_at = models.DateTimeField(_("开标时间"), null=True, blank=True)
    budget_ceiling = money_field(_("预算上限"), null=True, blank=True)
    budget_published = models.BooleanField(_("公开预算"), default=False)
    weight_price = models.DecimalField(
        _("价格权重"), max_digits=5, decimal_places=2, default=Decimal("60")
    )
    weight_quality = models.DecimalField(
        _("质量权重"), max_digits=5, decimal_places=2, default=Decimal("15")
    )
    weight_delivery = models.DecimalField(
        _("交付权重"), max_digits=5, decimal_places=2, default=Decimal("10")
    )
    weight_service = models.DecimalField(
        _("服务权重"), max_digits=5, decimal_places=2, default=Decimal("10")
    )
    weight_finance = models.DecimalField(
        _("金融方案权重"), max_digits=5, decimal_places=2, default=Decimal("5")
    )
    subject_to_tendering_law = models.BooleanField(_("适用招标投标法"), default=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=RfqStatus.choices, default=RfqStatus.DRAFT
    )
    reissued_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reissues"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    publicity_ends_at = models.DateTimeField(null=True, blank=True)
    awarded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RequestForQuotationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("采购需求")
        verbose_name_plural = _("采购需求")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    weight_price__gte=0,
                    weight_quality__gte=0,
                    weight_delivery__gte=0,
                    weight_service__gte=0,
                    weight_finance__gte=0,
                )
                & Q(
                    weight_price=Decimal("100")
                    - F("weight_quality")
                    - F("weight_delivery")
                    - F("weight_service")
                    - F("weight_finance")
                ),
                name="rfq_weights_sum_100",
            ),
            models.CheckConstraint(
                condition=Q(budget_ceiling__isnull=True) | Q(budget_ceiling__gt=0),
                name="rfq_budget_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def weights(self) -> dict[str, Decimal]:
        return {
            "price": self.weight_price,
            "quality": self.weight_quality,
            "delivery": self.weight_delivery,
            "service": self.weight_service,
            "finance": self.weight_finance,
        }


class RfqLine(models.Model):
    rfq = models.ForeignKey(RequestForQuotation, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    category = models.ForeignKey("marketplace.Category", on_delete=models.PROTECT, related_name="+")
    size_class = models.CharField(_("规格"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("数量"))
    conditions = models.JSONField(_("可接受成色"), default=list)
    min_grade = models.CharField(_("最低成色等级"), max_length=1, blank=True)
    max_age_years = models.PositiveSmallIntegerField(_("最大机龄（年）"), null=True, blank=True)
    max_hours = models.PositiveIntegerField(_("最大小时数"), null=True, blank=True)
    delivery_city = models.CharField(_("交付城市"), max_length=50, blank=True)
    delivery_date = models.DateField(_("交付日期"), null=True, blank=True)
    specification = models.TextField(_("技术要求"), blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="rfq_line_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.rfq_id}/{self.position}"


class RfqEventKind(models.TextChoices):
    CREATED = "created", _("创建")
    PUBLISHED = "published", _("已发布")
    AMENDED = "amended", _("变更")
    CLOSED = "closed", _("截止")
    OPENED = "opened", _("开标")
    FAILED = "failed", _("流标")
    EVALUATING = "evaluating", _("评审中")
    AWARDED = "awarded", _("定标候选人公示")
    FINALIZED = "finalized", _("定标")
    CANCELLED = "cancelled", _("已取消")
    REISSUED = "reissued", _("重新发起")
    QUOTE_SUBMITTED = "quote_submitted", _("报价已提交")
    QUESTION_ASKED = "question_asked", _("提问")
    QUESTION_ANSWERED = "question_answered", _("答疑")


class RfqEvent(models.Model):
    """What happened to a request. ``data`` never holds a price before the opening."""

    rfq = models.ForeignKey(RequestForQuotation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=20, choices=RfqEventKind.choices)
    from_status = models.CharField(max_length=12, choices=RfqStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=RfqStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.rfq_id}: {self.kind}"


class Quote(models.Model):
    """A supplier's sealed answer. Replacing it adds a new version; the old one stays,
    inactive, so what was submitted when can always be shown."""

    wagtail_reference_index_ignore = True

    rfq = models.ForeignKey(RequestForQuotation, on_delete=models.PROTECT, related_name="quotes")
    supplier = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="rfq_quotes"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    is_active = models.BooleanField(default=True)
    content_hash = models.CharField(_("报价摘要（SHA-256）"), max_length=64)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rfq", "supplier"],
                condition=Q(is_active=True),
                name="quote_one_active_per_supplier",
            ),
            models.UniqueConstraint(
                fields=["rfq", "supplier", "version"], name="quote_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rfq_id}/{self.supplier_id} v{self.version}"


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    rfq_line = models.ForeignKey(RfqLine, on_delete=models.PROTECT, related_name="quote_lines")
    unit_price = money_field(_("含税单价"))
    vat_rate = models.DecimalField(
        _("增值税税率"), max_digits=4, decimal_places=3, default=Decimal("0.130")
    )
    quantity = models.PositiveIntegerField(_("数量"))
    machine = models.ForeignKey(
        "marketplace.Machine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    offered_model = models.CharField(_("报价机型"), max_length=200, blank=True)
    lead_time_days = models.PositiveIntegerField(_("交货期（天）"), default=0)
    warranty_months = models.PositiveIntegerField(_("质保期（月）"), default=0)
    validity_days = models.PositiveIntegerField(_("报价有效期（天）"), default=30)

    class Meta:
        ordering = ["rfq_line__position", "rfq_line_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["quote", "rfq_line"], name="quote_line_unique"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="quote_line_price_positive"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="quote_line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quote_id}/{self.rfq_line_id}"


class RfqQuestion(models.Model):
    """A supplier's clarification question; the answer goes to every supplier, without
    saying who asked."""

    rfq = models.ForeignKey(RequestForQuotation, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    asked_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("问题"))
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.rfq_id}: {self.text[:30]}"


class Award(models.Model):
    """One share of one line given to one quote; several per line make a split award."""

    rfq = models.ForeignKey(RequestForQuotation, on_delete=models.CASCADE, related_name="awards")
    rfq_line = models.ForeignKey(RfqLine, on_delete=models.PROTECT, related_name="awards")
    quote = models.ForeignKey(Quote, on_delete=models.PROTECT, related_name="awards")
    quote_line = models.ForeignKey(QuoteLine, on_delete=models.PROTECT, related_name="awards")
    quantity = models.PositiveIntegerField()
    unit_price = money_field(_("含税单价"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rfq_line__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rfq_line", "quote"], name="award_unique_line_quote"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="award_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.rfq_line_id} → {self.quote_id} × {self.quantity}"
