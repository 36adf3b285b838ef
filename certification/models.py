"""Inspection requests and reports, remanufacturing certificates, their numbers and audit trail.

A report or certificate is a draft while its author works on it. Once submitted (reports) or
issued (certificates) its certified content never changes: the services refuse edits, the
check constraints below keep submitted/issued rows complete, and a correction is a new row
whose ``previous`` points at the one it supersedes (one successor per document, enforced by
the one-to-one field). Each document carries a public number; its verification code is an
HMAC over the certified content (see ``certification.verification``), so the code is never
stored and a row altered after issue no longer verifies.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.photos import InspectionPhotoField
from core.storage import RandomName, private_storage
from marketplace.models import ConditionGrade


class InspectionRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    DECLINED = "declined", _("已拒绝")
    CANCELLED = "cancelled", _("已取消")
    COMPLETED = "completed", _("已完成")


OPEN_REQUEST_STATUSES = (InspectionRequestStatus.REQUESTED, InspectionRequestStatus.ACCEPTED)


class InspectionRequest(models.Model):
    wagtail_reference_index_ignore = True  # domain rows: not Wagtail content (issue #13)

    machine = models.ForeignKey(
        "marketplace.Machine", on_delete=models.PROTECT, related_name="inspection_requests"
    )
    requester = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    certifier = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="inspection_requests"
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=InspectionRequestStatus.choices,
        default=InspectionRequestStatus.REQUESTED,
    )
    note = models.TextField(_("备注"), blank=True)
    decline_reason = models.TextField(_("拒绝原因"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("检测申请")
        verbose_name_plural = _("检测申请")
        constraints = [
            models.UniqueConstraint(
                fields=["machine", "certifier"],
                condition=Q(status__in=["requested", "accepted"]),
                name="inspection_request_one_open_per_certifier",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.machine_id} → {self.certifier_id} ({self.status})"


# --- inspection reports ---------------------------------------------------------------------


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")


class TestResult(models.TextChoices):
    NOT_TESTED = "", _("未测试")
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")


class FluidResult(models.TextChoices):
    NOT_SAMPLED = "", _("未取样")
    NORMAL = "normal", _("正常")
    ATTENTION = "attention", _("需关注")
    CRITICAL = "critical", _("异常")


class System(models.TextChoices):
    ENGINE = "engine", _("发动机")
    HYDRAULICS = "hydraulics", _("液压系统")
    UNDERCARRIAGE = "undercarriage", _("底盘（履带）")
    TYRES = "tyres", _("轮胎")
    STRUCTURE = "structure", _("结构件/动臂")
    ELECTRICAL = "electrical", _("电气系统")
    CAB = "cab", _("驾驶室")
    ATTACHMENTS = "attachments", _("属具")
    SLEWING = "slewing", _("回转机构")
    POWERTRAIN = "powertrain", _("传动系统")
    STEERING_BRAKES = "steering_brakes", _("转向与制动")
    HOIST = "hoist", _("起升机构")
    OUTRIGGERS = "outriggers", _("支腿")
    SAFETY_DEVICES = "safety_devices", _("安全装置")
    VIBRATION = "vibration", _("振动系统")


RUNNING_GEAR_SYSTEMS = (System.UNDERCARRIAGE, System.TYRES)


class SystemRating(models.TextChoices):
    GOOD = "good", _("良好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("较差")
    FAILED = "failed", _("失效")


class InspectionReport(models.Model):
    wagtail_reference_index_ignore = True  # domain rows: not Wagtail content (issue #13)

    number = models.CharField(_("报告编号"), max_length=32, unique=True, null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
        verbose_name=_("更正的版本"),
    )
    request = models.ForeignKey(
        InspectionRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    machine = models.ForeignKey(
        "marketplace.Machine", on_delete=models.PROTECT, related_name="inspection_reports"
    )
    certifier = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="inspection_reports"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    template_key = models.CharField(_("检测模板"), max_length=30)
    inspected_on = models.DateField(_("检测日期"), default=timezone.localdate)
    location = models.CharField(_("检测地点"), max_length=120, blank=True)
    # Identity check
    plate_number = models.CharField(_("铭牌/车牌号"), max_length=60, blank=True)
    serial_number_observed = models.CharField(_("现场核对的出厂编号"), max_length=60, blank=True)
    hour_meter_reading = models.PositiveIntegerField(_("小时表读数"), null=True, blank=True)
    hour_meter_photo = InspectionPhotoField(
        _("小时表照片"),
        storage=private_storage,
        upload_to=RandomName("inspections"),
        null=True,
        blank=True,
    )
    # Why the meter reads less than an earlier reading of the machine (meter replaced, …);
    # a rolled-back meter blocks submission until this is filled in.
    hour_meter_explanation = models.TextField(_("小时表读数回退说明"), blank=True)
    # Tradeable-equipment check (T/CSCMA 0004-2023 可交易性核查): check key -> "yes" / "no".
    tradeable_checks = models.JSONField(_("可交易性核查"), default=dict, blank=True)
    # Template-specific major-accident questions beyond the three columns below: key -> bool.
    accident_checks = models.JSONField(_("重大事故排查"), default=dict, blank=True)
    # Major-accident screen (T/CSCMA 0004-2023 重大事故设备判断)
    fire_damage = models.BooleanField(_("火烧痕迹"), default=False)
    flood_damage = models.BooleanField(_("水淹痕迹"), default=False)
    structural_accident = models.BooleanField(_("重大结构性事故"), default=False)
    is_parts_machine = models.BooleanField(_("仅具拆件价值"), default=False)
    # Functional tests
    cold_start = models.CharField(
        _("冷启动"), max_length=10, choices=TestResult.choices, blank=True
    )
    functional_test = models.CharField(
        _("功能测试"), max_length=10, choices=TestResult.choices, blank=True
    )
    test_notes = models.TextField(_("测试说明"), blank=True)
    # Fluid samples
    engine_oil_sample = models.CharField(
        _("发动机油样"), max_length=10, choices=FluidResult.choices, blank=True
    )
    hydraulic_oil_sample = models.CharField(
        _("液压油样"), max_length=10, choices=FluidResult.choices, blank=True
    )
    coolant_sample = models.CharField(
        _("冷却液"), max_length=10, choices=FluidResult.choices, blank=True
    )
    fluid_notes = models.TextField(_("油液说明"), blank=True)
    summary = models.TextField(_("检测结论"), blank=True)
    # Set on submission
    grade = models.CharField(
        _("成色等级"), max_length=1, choices=ConditionGrade.choices, blank=True
    )
    grade_reasons = models.JSONField(default=list, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # The signing inspector's name as printed on the report, fixed at submission.
    inspector_name = models.CharField(_("检测人员"), max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("检测报告")
        verbose_name_plural = _("检测报告")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status="submitted",
                    number__isnull=False,
                    submitted_at__isnull=False,
                    hour_meter_reading__isnull=False,
                    grade__in=["A", "B", "C", "D", "E"],
                )
                | Q(status="draft", number__isnull=True, grade=""),
                name="inspection_report_complete_when_submitted",
            ),
            models.CheckConstraint(
                condition=Q(version=1, previous__isnull=True)
                | Q(version__gt=1, previous__isnull=False),
                name="inspection_report_version_chain",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"draft #{self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ReportStatus.SUBMITTED

    @property
    def major_accident(self) -> bool:
        return (
            self.fire_damage
            or self.flood_damage
            or self.structural_accident
            or any(value is True for value in (self.accident_checks or {}).values())
        )


class InspectionItem(models.Model):
    """One system of the report: rating, wear (running gear only) and comment."""

    report = models.ForeignKey(InspectionReport, on_delete=models.CASCADE, related_name="items")
    system = models.CharField(_("系统"), max_length=20, choices=System.choices)
    rating = models.CharField(_("评级"), max_length=10, choices=SystemRating.choices, blank=True)
    wear_percent = models.DecimalField(
        _("磨损率（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    comment = models.TextField(_("说明"), blank=True)
    # Worksheet checkpoints of this system (template keys) the inspector found defective.
    defects = models.JSONField(_("缺陷项"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "system"], name="inspection_item_unique"),
            models.CheckConstraint(
                condition=Q(wear_percent__isnull=True)
                | Q(wear_percent__gte=0, wear_percent__lte=100),
                name="inspection_item_wear_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.system}={self.rating}"


class InspectionPhoto(models.Model):
    report = models.ForeignKey(InspectionReport, on_delete=models.CASCADE, related_name="photos")
    system = models.CharField(_("系统"), max_length=20, choices=System.choices, blank=True)
    # The template's photo angle this photo satisfies ("" for an extra photo).
    angle = models.CharField(_("拍摄角度"), max_length=30, blank=True)
    # Private storage, served by certification.photo_views (who may see it: certification.photos).
    image = InspectionPhotoField(storage=private_storage, upload_to=RandomName("inspections"))
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.system or 'general'}"


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


# --- audit ----------------------------------------------------------------------------------


class CertificationEvent(models.Model):
    """Audit row for every state change of a request, report or certificate."""

    request = models.ForeignKey(
        InspectionRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    report = models.ForeignKey(
        InspectionReport, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    certificate = models.ForeignKey(
        RemanCertificate, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id}"
