"""Remanufacturing certificates (GB/T 28618 / 28620) with their stages and parts.

A certificate is a draft until issued; once issued its certified content never changes and a
correction is a new row whose ``previous`` points at the one it supersedes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certification.models.inspections import InspectionReport

# --- remanufacturing certificates -----------------------------------------------------------


class CertificateStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("有效")
    REVOKED = "revoked", _("已撤销")


class RemanSubject(models.TextChoices):
    MACHINE = "machine", _("整机")
    COMPONENT = "component", _("总成/部件")


class RemanStage(models.TextChoices):
    """Process stages of GB/T 28618-2012 that the certificate records."""

    ASSESSMENT = "assessment", _("旧件评估")
    DISASSEMBLY = "disassembly", _("拆解")
    CLEANING = "cleaning", _("清洗")
    REPAIR = "repair", _("修复")
    ASSEMBLY = "assembly", _("装配")
    TESTING = "testing", _("检测试验")


class PartDisposition(models.TextChoices):
    REUSED = "reused", _("原件再用")
    REMANUFACTURED = "remanufactured", _("修复再用")
    REPLACED = "replaced", _("新件替换")


REUSED_DISPOSITIONS = (PartDisposition.REUSED, PartDisposition.REMANUFACTURED)


class RemanCertificate(models.Model):
    wagtail_reference_index_ignore = True  # domain rows: not Wagtail content (issue #13)

    number = models.CharField(_("证书编号"), max_length=32, unique=True, null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
        verbose_name=_("更正的版本"),
    )
    machine = models.ForeignKey(
        "marketplace.Machine", on_delete=models.PROTECT, related_name="reman_certificates"
    )
    certifier = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="reman_certificates"
    )
    inspection_report = models.ForeignKey(
        InspectionReport,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reman_certificates",
        verbose_name=_("关联检测报告"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.DRAFT
    )
    subject = models.CharField(
        _("认证对象"), max_length=12, choices=RemanSubject.choices, default=RemanSubject.MACHINE
    )
    component_name = models.CharField(_("部件名称"), max_length=100, blank=True)
    component_part_number = models.CharField(_("部件图号"), max_length=60, blank=True)
    component_serial = models.CharField(_("部件编号"), max_length=60, blank=True)
    core_identification = models.TextField(_("旧件（毛坯）识别信息"), blank=True)
    remanufacturer = models.CharField(_("再制造企业"), max_length=200, blank=True)
    performance_declaration = models.BooleanField(
        _("性能不低于原型新品（GB/T 27611）"), default=False
    )
    test_summary = models.TextField(_("性能检测结果"), blank=True)
    label_text = models.CharField(_("再制造标识内容（GB/T 41101.2）"), max_length=200, blank=True)
    label_location = models.CharField(_("标识位置"), max_length=120, blank=True)
    warranty_months = models.PositiveSmallIntegerField(_("质保期（月）"), null=True, blank=True)
    warranty_terms = models.TextField(_("质保条款"), blank=True)
    valid_from = models.DateField(_("有效期自"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    # Computed when issued (certification.reman.remanufacturing_rate).
    reused_mass_kg = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    total_mass_kg = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    remanufacturing_rate = models.DecimalField(
        _("再制造率（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    issued_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.TextField(_("撤销原因"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("再制造证书")
        verbose_name_plural = _("再制造证书")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", number__isnull=True, issued_at__isnull=True)
                | Q(
                    status__in=["issued", "revoked"],
                    number__isnull=False,
                    issued_at__isnull=False,
                    remanufacturing_rate__isnull=False,
                    performance_declaration=True,
                ),
                name="reman_certificate_complete_when_issued",
            ),
            models.CheckConstraint(
                condition=Q(status="revoked", revoked_at__isnull=False) & ~Q(revocation_reason="")
                | (~Q(status="revoked") & Q(revoked_at__isnull=True)),
                name="reman_certificate_revocation_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(remanufacturing_rate__isnull=True)
                | Q(remanufacturing_rate__gte=0, remanufacturing_rate__lte=100),
                name="reman_certificate_rate_range",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gt=models.F("valid_from")),
                name="reman_certificate_validity_order",
            ),
            models.CheckConstraint(
                condition=Q(version=1, previous__isnull=True)
                | Q(version__gt=1, previous__isnull=False),
                name="reman_certificate_version_chain",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"draft #{self.pk}"

    @property
    def is_issued(self) -> bool:
        return self.status == CertificateStatus.ISSUED

    @property
    def is_revoked(self) -> bool:
        return self.status == CertificateStatus.REVOKED

    def is_valid_on(self, day) -> bool:
        if not self.is_issued:
            return False
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_until and day > self.valid_until)


class RemanStageRecord(models.Model):
    certificate = models.ForeignKey(
        RemanCertificate, on_delete=models.CASCADE, related_name="stages"
    )
    stage = models.CharField(_("工序"), max_length=20, choices=RemanStage.choices)
    performed_on = models.DateField(_("日期"), null=True, blank=True)
    passed = models.BooleanField(_("合格"), default=False)
    result = models.TextField(_("结果"), blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "stage"], name="reman_stage_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id}:{self.stage}"


class RemanPart(models.Model):
    certificate = models.ForeignKey(
        RemanCertificate, on_delete=models.CASCADE, related_name="parts"
    )
    name = models.CharField(_("零件名称"), max_length=100)
    part_number = models.CharField(_("零件号"), max_length=60, blank=True)
    disposition = models.CharField(_("处置"), max_length=20, choices=PartDisposition.choices)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    unit_mass_kg = models.DecimalField(_("单件质量（kg）"), max_digits=10, decimal_places=3)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="reman_part_quantity"),
            models.CheckConstraint(condition=Q(unit_mass_kg__gt=0), name="reman_part_mass"),
        ]

    def __str__(self) -> str:
        return f"{self.name} × {self.quantity}"
