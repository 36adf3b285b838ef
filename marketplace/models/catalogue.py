"""The reference catalogue"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.money import money_field


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
