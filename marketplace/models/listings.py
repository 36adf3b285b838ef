"""Listings, their photos and events, and ownership transfers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import currency_field, money_field
from marketplace.models.machines import Machine
from marketplace.titles import listing_title


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

    @property
    def display_title(self) -> str:
        """The title in the active language (marketplace.titles)."""
        return listing_title(self)


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


# The photo set a listing needs before it can be submitted (the trading guide promises buyers
# all four sides, the hour meter, the cab and the undercarriage or tyres), in display order.
REQUIRED_PHOTO_KINDS: tuple[PhotoKind, ...] = (
    PhotoKind.FRONT,
    PhotoKind.LEFT,
    PhotoKind.RIGHT,
    PhotoKind.REAR,
    PhotoKind.HOUR_METER,
    PhotoKind.CAB,
    PhotoKind.UNDERCARRIAGE,
)


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
