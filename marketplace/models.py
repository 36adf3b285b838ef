"""The catalogue, the machine's lifecycle record, listings and completed sales.

`Machine` carries a few denormalised flags (grade, inspected, remanufactured, encumbered,
scrapped, hours anomaly) that the certification and leasing services write in the same
transaction as their own records, so search and valuation read them without joins.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.money import currency_field, money_field


class BilingualNameMixin(models.Model):
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class SizeUnit(models.TextChoices):
    TONNES = "t", _("吨（整机重量）")
    KILOWATTS = "kW", _("千瓦")
    LIFT_TONNES = "lift_t", _("吨（起重量）")
    METRES = "m", _("米")
    CUBIC_METRES = "m3", _("立方米")


class Category(BilingualNameMixin):
    """A node of the category tree; size classes (e.g. 20-30 t excavators) are leaves."""

    slug = models.SlugField(unique=True, max_length=80)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    size_unit = models.CharField(max_length=10, choices=SizeUnit.choices, blank=True)
    size_min = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    size_max = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("设备类别")
        verbose_name_plural = _("设备类别")

    @property
    def root(self) -> "Category":
        node = self
        while node.parent_id is not None:
            node = node.parent
        return node


class Brand(BilingualNameMixin):
    slug = models.SlugField(unique=True, max_length=80)
    country = models.CharField(_("国家"), max_length=50, blank=True)
    is_domestic = models.BooleanField(_("国产品牌"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("品牌")
        verbose_name_plural = _("品牌")


class EquipmentModel(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="models")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="models")
    name = models.CharField(_("型号"), max_length=60)
    base_model = models.CharField(_("基础型号"), max_length=60, blank=True)
    operating_weight_t = models.DecimalField(
        _("整机重量（吨）"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    engine_power_kw = models.DecimalField(
        _("发动机功率（kW）"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    bucket_capacity_m3 = models.DecimalField(
        _("斗容（m³）"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    lifting_capacity_t = models.DecimalField(
        _("最大起重量（吨）"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    new_price = money_field(_("新机参考价"), null=True, blank=True)

    class Meta:
        ordering = ["brand__name", "name"]
        verbose_name = _("机型")
        verbose_name_plural = _("机型")
        constraints = [
            models.UniqueConstraint(fields=["brand", "name"], name="equipment_model_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.brand} {self.name}"


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


class SaleFormat(models.TextChoices):
    FIXED = "fixed", _("一口价")
    OFFER = "offer", _("议价")
    AUCTION = "auction", _("限时拍卖")


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    PUBLISHED = "published", _("在售")
    RESERVED = "reserved", _("已预订")
    SOLD = "sold", _("已售出")
    WITHDRAWN = "withdrawn", _("已下架")
    REJECTED = "rejected", _("未通过审核")
    EXPIRED = "expired", _("已过期")


LIVE_STATUSES = (ListingStatus.SUBMITTED, ListingStatus.PUBLISHED, ListingStatus.RESERVED)


class ListingQuerySet(models.QuerySet):
    def published(self) -> "ListingQuerySet":
        return self.filter(status=ListingStatus.PUBLISHED)

    def live(self) -> "ListingQuerySet":
        return self.filter(status__in=LIVE_STATUSES)

    def of_seller(self, organization_ids: list[int]) -> "ListingQuerySet":
        return self.filter(seller_id__in=organization_ids)


class Listing(models.Model):
    wagtail_reference_index_ignore = True  # domain rows: not Wagtail content (issue #13)

    machine = models.ForeignKey(Machine, on_delete=models.PROTECT, related_name="listings")
    seller = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="listings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("标题"), max_length=120)
    sale_format = models.CharField(
        _("销售方式"), max_length=10, choices=SaleFormat.choices, default=SaleFormat.FIXED
    )
    asking_price = money_field(_("价格"), null=True, blank=True)
    currency = currency_field()
    invoice_available = models.BooleanField(_("可提供发票"), default=True)
    description = models.TextField(_("描述"), blank=True)
    attachments = models.CharField(_("随机附件"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=ListingStatus.choices, default=ListingStatus.DRAFT
    )
    rejection_reason = models.TextField(_("驳回原因"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    is_simulated = models.BooleanField(_("模拟数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("挂牌")
        verbose_name_plural = _("挂牌")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="listing_status_published"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["machine"],
                condition=Q(status__in=["submitted", "published", "reserved"]),
                name="listing_one_live_per_machine",
            ),
            models.CheckConstraint(
                condition=Q(asking_price__isnull=True) | Q(asking_price__gt=0),
                name="listing_asking_price_positive",
            ),
            models.CheckConstraint(
                condition=Q(sale_format="auction") | Q(asking_price__isnull=False),
                name="listing_price_required_unless_auction",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PhotoKind(models.TextChoices):
    FRONT = "front", _("正面")
    LEFT = "left", _("左侧")
    RIGHT = "right", _("右侧")
    REAR = "rear", _("后面")
    UNDERCARRIAGE = "undercarriage", _("底盘/轮胎")
    CAB = "cab", _("驾驶室")
    HOUR_METER = "hour_meter", _("小时表")
    DAMAGE = "damage", _("损伤部位")
    OTHER = "other", _("其他")


class ListingPhoto(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        upload_to="listings/%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=PhotoKind.choices, default=PhotoKind.OTHER)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.listing_id}#{self.position} {self.kind}"


class ListingEvent(models.Model):
    """Audit row for every listing state transition."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=ListingStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ListingStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.listing_id}: {self.from_status} → {self.to_status}"


class OwnershipTransfer(models.Model):
    """One change of owner; with the first owner it gives the machine's ownership history."""

    machine = models.ForeignKey(Machine, on_delete=models.CASCADE, related_name="transfers")
    from_owner = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_owner = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    transferred_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["transferred_at", "id"]

    def __str__(self) -> str:
        return f"{self.machine_id}: {self.from_owner_id} → {self.to_owner_id}"


class SaleSource(models.TextChoices):
    PLATFORM = "platform", _("平台成交")
    SIMULATED = "simulated", _("模拟数据")
    EXTERNAL = "external", _("外部成交数据")


class SaleChannel(models.TextChoices):
    FIXED = "fixed", _("一口价")
    OFFER = "offer", _("议价")
    AUCTION = "auction", _("平台拍卖")
    EXTERNAL_AUCTION = "external_auction", _("外部拍卖")


class SaleRecord(models.Model):
    """A completed sale with the machine's attributes as they were then: the training data.

    Attributes are copied, not referenced, so later edits to the machine never rewrite history.
    """

    wagtail_reference_index_ignore = True  # domain rows: not Wagtail content (issue #13)

    machine = models.ForeignKey(
        Machine, null=True, blank=True, on_delete=models.SET_NULL, related_name="sales"
    )
    listing = models.OneToOneField(
        Listing, null=True, blank=True, on_delete=models.SET_NULL, related_name="sale_record"
    )
    source = models.CharField(max_length=12, choices=SaleSource.choices)
    external_id = models.CharField(max_length=64, blank=True)
    sale_channel = models.CharField(max_length=20, choices=SaleChannel.choices)
    sold_at = models.DateField(_("成交日期"))
    price = money_field(_("成交价"))
    currency = currency_field()
    category_slug = models.CharField(max_length=80)
    size_class = models.CharField(max_length=80, blank=True)
    brand_name = models.CharField(max_length=100)
    model_name = models.CharField(max_length=100)
    base_model = models.CharField(max_length=100, blank=True)
    year_of_manufacture = models.PositiveSmallIntegerField(null=True, blank=True)
    hours = models.PositiveIntegerField(null=True, blank=True)
    province = models.CharField(max_length=50, blank=True)
    city = models.CharField(max_length=50, blank=True)
    condition_grade = models.CharField(max_length=1, blank=True)
    is_remanufactured = models.BooleanField(default=False)
    emission_stage = models.CharField(max_length=10, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("成交记录")
        verbose_name_plural = _("成交记录")
        indexes = [
            models.Index(fields=["sold_at"], name="salerecord_sold_at"),
            # Comparables for a valuation: same category, then model and year.
            models.Index(
                fields=["category_slug", "base_model", "year_of_manufacture"],
                name="salerecord_comparables",
            ),
            models.Index(
                fields=["category_slug", "year_of_manufacture"], name="salerecord_category_year"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="salerecord_unique_external_id",
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="salerecord_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.brand_name} {self.model_name} {self.price} {self.currency} {self.sold_at}"
