"""Inspection requests and reports with their worksheet items and photos.

A report is a draft while its inspector works on it; once submitted its certified content
never changes (the services refuse edits, the check constraints keep submitted rows complete)
and a correction is a new row whose ``previous`` points at the one it supersedes."""

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
