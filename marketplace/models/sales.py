"""Completed sales with the machine's attributes at the time (the valuation training data)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.money import currency_field, money_field
from marketplace.models.listings import Listing
from marketplace.models.machines import Machine


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
