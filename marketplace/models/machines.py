"""The machine's lifecycle record"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import money_field
from marketplace.models.catalogue import Brand, Category, EquipmentModel


class EmissionStage(models.TextChoices):
    CHINA_II = "china2", _("国二")
    CHINA_III = "china3", _("国三")
    CHINA_IV = "china4", _("国四")
    UNKNOWN = "", _("未知")


class ConditionGrade(models.TextChoices):
    A = "A", _("A 级（近新）")
    B = "B", _("B 级（良好）")
    C = "C", _("C 级（可直接作业）")
    D = "D", _("D 级（需结构维修）")
    E = "E", _("E 级（拆件机）")


class AccidentHistory(models.TextChoices):
    NONE = "none", _("无事故")
    FIRE = "fire", _("火烧")
    FLOOD = "flood", _("水淹")
    STRUCTURAL = "structural", _("结构性事故")
    UNKNOWN = "unknown", _("未知")


class MachineQuerySet(models.QuerySet):
    def active(self) -> "MachineQuerySet":
        return self.filter(is_scrapped=False)


class Machine(models.Model):
    """The lifecycle record of one physical machine (its passport)."""

    wagtail_reference_index_ignore = True  # domain rows: not Wagtail content (issue #13)

    equipment_model = models.ForeignKey(
        EquipmentModel, on_delete=models.PROTECT, related_name="machines"
    )
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="machines")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="machines")
    serial_number = models.CharField(_("出厂编号/PIN"), max_length=60)
    year_of_manufacture = models.PositiveSmallIntegerField(_("出厂年份"), null=True, blank=True)
    emission_stage = models.CharField(
        _("排放标准"), max_length=10, choices=EmissionStage.choices, blank=True
    )
    owner = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="machines"
    )
    province = models.CharField(_("省份"), max_length=50)
    city = models.CharField(_("城市"), max_length=50)
    district = models.CharField(_("区县"), max_length=50, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accident_history = models.CharField(
        _("事故记录"),
        max_length=20,
        choices=AccidentHistory.choices,
        default=AccidentHistory.NONE,
    )
    current_hours = models.PositiveIntegerField(_("当前小时数"), null=True, blank=True)
    # Projections written by certification / leasing services (see module docstring).
    condition_grade = models.CharField(
        _("成色等级"), max_length=1, choices=ConditionGrade.choices, blank=True
    )
    is_inspected = models.BooleanField(_("已检测"), default=False)
    is_certified = models.BooleanField(_("已认证"), default=False)
    is_remanufactured = models.BooleanField(_("再制造"), default=False)
    is_encumbered = models.BooleanField(_("存在融资租赁/抵押登记"), default=False)
    is_scrapped = models.BooleanField(_("已报废"), default=False)
    hours_anomaly = models.BooleanField(_("小时数异常"), default=False)
    # Written only by marketplace.evidence (projections of readings and maintenance records).
    hours_verified = models.BooleanField(_("小时数已核实"), default=False)
    service_record_count = models.PositiveIntegerField(_("保养维修记录数"), default=0)
    is_simulated = models.BooleanField(_("模拟数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MachineQuerySet.as_manager()

    class Meta:
        verbose_name = _("设备")
        verbose_name_plural = _("设备")
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "serial_number"], name="machine_unique_serial_per_brand"
            ),
            models.CheckConstraint(
                condition=Q(year_of_manufacture__isnull=True)
                | Q(year_of_manufacture__gte=1950, year_of_manufacture__lte=2100),
                name="machine_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.brand} {self.equipment_model.name} #{self.serial_number}"


class HourReadingSource(models.TextChoices):
    SELLER = "seller", _("卖家申报")
    INSPECTION = "inspection", _("检测核实")
    TELEMATICS = "telematics", _("远程监控")
    SERVICE = "service", _("保养记录")


class HourMeterReadingQuerySet(models.QuerySet):
    def effective(self) -> "HourMeterReadingQuerySet":
        """Readings in force: those not superseded by a correction."""
        return self.filter(correction__isnull=True)

    def for_history(self) -> "HourMeterReadingQuerySet":
        """Every reading in time order, each knowing whether a correction superseded it."""
        superseded = HourMeterReading.objects.filter(corrects=models.OuterRef("pk"))
        return (
            self.annotate(is_superseded=models.Exists(superseded))
            .select_related("recorded_by")
            .order_by("read_at", "id")
        )


class HourMeterReading(models.Model):
    """Append-only: services only ever insert; corrections are new readings.

    A mistaken reading is corrected by a new reading that ``corrects`` it (with who, when and
    why); the original stays in the history, shown as superseded, and no longer counts.
    """

    machine = models.ForeignKey(Machine, on_delete=models.CASCADE, related_name="hour_readings")
    hours = models.PositiveIntegerField(_("小时数"))
    read_at = models.DateTimeField(_("读数时间"), default=timezone.now)
    source = models.CharField(_("来源"), max_length=20, choices=HourReadingSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    corrects = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
        verbose_name=_("更正的读数"),
    )
    correction_reason = models.CharField(_("更正原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HourMeterReadingQuerySet.as_manager()

    class Meta:
        ordering = ["read_at", "id"]
        verbose_name = _("小时表读数")
        verbose_name_plural = _("小时表读数")

    def __str__(self) -> str:
        return f"{self.hours} h ({self.source}, {self.read_at:%Y-%m-%d})"


class MaintenanceKind(models.TextChoices):
    ROUTINE = "routine", _("例行保养")
    REPAIR = "repair", _("维修")
    OVERHAUL = "overhaul", _("大修")
    PARTS = "parts", _("更换配件")


class MaintenanceRecord(models.Model):
    machine = models.ForeignKey(Machine, on_delete=models.CASCADE, related_name="maintenance")
    performed_on = models.DateField(_("日期"))
    hours = models.PositiveIntegerField(_("小时数"), null=True, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=MaintenanceKind.choices)
    description = models.TextField(_("内容"))
    performed_by = models.CharField(_("服务商"), max_length=100, blank=True)
    cost = money_field(_("费用"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["performed_on", "id"]
        verbose_name = _("保养维修记录")
        verbose_name_plural = _("保养维修记录")

    def __str__(self) -> str:
        return f"{self.performed_on} {self.get_kind_display()}"
