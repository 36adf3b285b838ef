"""End of life: the owner asks for disposal, recyclers quote, the chosen recycler completes it.

Completion issues a ``DisposalCertificate`` (verified like the certification app's documents,
number ``IL-DC-…``) stating the recyclability and recoverability rates by mass (ISO 16714
style) and marks the machine scrapped, so it can never be listed again.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.money import currency_field, money_field


class DisposalStatus(models.TextChoices):
    REQUESTED = "requested", _("待报价")
    QUOTED = "quoted", _("已有报价")
    ACCEPTED = "accepted", _("已选定回收商")
    COMPLETED = "completed", _("已拆解")
    CANCELLED = "cancelled", _("已取消")


OPEN_DISPOSAL_STATUSES = (DisposalStatus.REQUESTED, DisposalStatus.QUOTED, DisposalStatus.ACCEPTED)


class DisposalRequest(models.Model):
    wagtail_reference_index_ignore = True  # domain rows: not Wagtail content (issue #13)

    machine = models.ForeignKey(
        "marketplace.Machine", on_delete=models.PROTECT, related_name="disposal_requests"
    )
    owner = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=DisposalStatus.choices, default=DisposalStatus.REQUESTED
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("报废处置申请")
        verbose_name_plural = _("报废处置申请")
        constraints = [
            models.UniqueConstraint(
                fields=["machine"],
                condition=Q(status__in=["requested", "quoted", "accepted"]),
                name="disposal_request_one_open_per_machine",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.machine_id} ({self.status})"


class QuoteStatus(models.TextChoices):
    OFFERED = "offered", _("已报价")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("未选中")


class DisposalQuote(models.Model):
    request = models.ForeignKey(DisposalRequest, on_delete=models.CASCADE, related_name="quotes")
    recycler = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="disposal_quotes"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    price = money_field(_("回收报价"))
    currency = currency_field()
    note = models.TextField(_("说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=QuoteStatus.choices, default=QuoteStatus.OFFERED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["price", "id"]
        verbose_name = _("回收报价")
        verbose_name_plural = _("回收报价")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "recycler"], name="disposal_quote_one_per_recycler"
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status="accepted"),
                name="disposal_quote_one_accepted",
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="disposal_quote_price"),
        ]

    def __str__(self) -> str:
        return f"{self.recycler_id}: {self.price} {self.currency}"


class CertificateStatus(models.TextChoices):
    ISSUED = "issued", _("有效")
    REVOKED = "revoked", _("已撤销")


class DisposalCertificate(models.Model):
    wagtail_reference_index_ignore = True  # domain rows: not Wagtail content (issue #13)

    number = models.CharField(_("证书编号"), max_length=32, unique=True)
    request = models.OneToOneField(
        DisposalRequest, on_delete=models.PROTECT, related_name="certificate"
    )
    machine = models.ForeignKey(
        "marketplace.Machine", on_delete=models.PROTECT, related_name="disposal_certificates"
    )
    recycler = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.ISSUED,
    )
    completed_on = models.DateField(_("拆解完成日期"))
    total_mass_kg = models.DecimalField(_("整机质量（kg）"), max_digits=12, decimal_places=3)
    recyclable_mass_kg = models.DecimalField(max_digits=12, decimal_places=3)
    recoverable_mass_kg = models.DecimalField(max_digits=12, decimal_places=3)
    recyclability_rate = models.DecimalField(_("可再利用率（%）"), max_digits=5, decimal_places=2)
    recoverability_rate = models.DecimalField(
        _("可回收利用率（%）"), max_digits=5, decimal_places=2
    )
    issued_at = models.DateTimeField(_("签发时间"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("报废拆解证书")
        verbose_name_plural = _("报废拆解证书")
        constraints = [
            models.CheckConstraint(
                condition=Q(recoverability_rate__gte=0, recoverability_rate__lte=100)
                & Q(recyclability_rate__gte=0)
                & Q(recyclability_rate__lte=models.F("recoverability_rate")),
                name="disposal_certificate_rates",
            ),
            models.CheckConstraint(
                condition=Q(total_mass_kg__gt=0), name="disposal_certificate_mass"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Material(models.TextChoices):
    STEEL = "steel", _("钢铁")
    CAST_IRON = "cast_iron", _("铸铁")
    ALUMINIUM = "aluminium", _("铝")
    COPPER = "copper", _("铜")
    RUBBER = "rubber", _("橡胶")
    PLASTICS = "plastics", _("塑料")
    GLASS = "glass", _("玻璃")
    FLUIDS = "fluids", _("油液")
    COMPONENTS = "components", _("可再用零部件")
    OTHER = "other", _("其他")


class Treatment(models.TextChoices):
    REUSE = "reuse", _("再使用")
    RECYCLE = "recycle", _("再生利用")
    ENERGY = "energy", _("能量回收")
    DISPOSAL = "disposal", _("最终处置（填埋/焚烧）")


class MaterialLine(models.Model):
    certificate = models.ForeignKey(
        DisposalCertificate, on_delete=models.CASCADE, related_name="materials"
    )
    material = models.CharField(_("材料"), max_length=20, choices=Material.choices)
    treatment = models.CharField(_("处理方式"), max_length=10, choices=Treatment.choices)
    mass_kg = models.DecimalField(_("质量（kg）"), max_digits=12, decimal_places=3)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(mass_kg__gt=0), name="material_line_mass"),
        ]

    def __str__(self) -> str:
        return f"{self.material}/{self.treatment}: {self.mass_kg}"
