"""Timed auctions"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.money import currency_field, money_field


class Sale(models.Model):
    """A timed sale grouping lots whose closing times are staggered."""

    title = models.CharField(_("拍卖会名称"), max_length=120)
    organizer = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="sales"
    )
    starts_at = models.DateTimeField(_("开始时间"))
    first_close_at = models.DateTimeField(_("首个拍品结束时间"))
    stagger_seconds = models.PositiveIntegerField(_("拍品间隔秒数"), default=60)
    is_simulated = models.BooleanField(_("模拟数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("拍卖会")
        verbose_name_plural = _("拍卖会")

    def __str__(self) -> str:
        return self.title


class LotStatus(models.TextChoices):
    OPEN = "open", _("竞拍中")
    CLOSED = "closed", _("已结束")


class LotOutcome(models.TextChoices):
    PENDING = "", _("未结束")
    SOLD = "sold", _("成交")
    RESERVE_NOT_MET = "reserve_not_met", _("未达保留价")
    NO_BIDS = "no_bids", _("无人出价")
    WITHDRAWN = "withdrawn", _("挂牌已不可售")


class Lot(models.Model):
    """A timed auction of one listing. The row is the lock that serialises bids."""

    wagtail_reference_index_ignore = True  # domain rows: not Wagtail content (issue #13)

    listing = models.ForeignKey(
        "marketplace.Listing", on_delete=models.PROTECT, related_name="lots"
    )
    sale = models.ForeignKey(
        Sale, null=True, blank=True, on_delete=models.SET_NULL, related_name="lots"
    )
    position = models.PositiveIntegerField(_("拍品序号"), default=1)
    status = models.CharField(
        _("状态"), max_length=10, choices=LotStatus.choices, default=LotStatus.OPEN
    )
    outcome = models.CharField(
        _("结果"), max_length=20, choices=LotOutcome.choices, default="", blank=True
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    scheduled_ends_at = models.DateTimeField(_("原定结束时间"))
    soft_close_minutes = models.PositiveSmallIntegerField(_("延时分钟数"))
    opening_bid = money_field(_("起拍价"))
    reserve_price = money_field(_("保留价"), null=True, blank=True)
    currency = currency_field()
    current_price = money_field(_("当前价"), null=True, blank=True)
    leader = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader_maximum = money_field(_("领先者最高出价"), null=True, blank=True)
    bid_count = models.PositiveIntegerField(default=0)
    extension_count = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_simulated = models.BooleanField(_("模拟数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("拍品")
        verbose_name_plural = _("拍品")
        indexes = [models.Index(fields=["status", "ends_at"], name="lot_status_ends")]
        constraints = [
            models.UniqueConstraint(
                fields=["listing"], condition=Q(status="open"), name="lot_one_open_per_listing"
            ),
            models.CheckConstraint(condition=Q(opening_bid__gt=0), name="lot_opening_positive"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="lot_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(current_price__isnull=True)
                | Q(leader_maximum__gte=models.F("current_price")),
                name="lot_price_within_leader_max",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.listing}"

    @property
    def reserve_met(self) -> bool:
        if self.reserve_price is None:
            return True
        return self.current_price is not None and self.current_price >= self.reserve_price

    @property
    def has_reserve(self) -> bool:
        return self.reserve_price is not None


class Bid(models.Model):
    """An accepted bid: the bidder's new maximum and the lot's price right after it.

    Refused bids are not stored (a refusal changes nothing)."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="bids")
    bidder = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    maximum = money_field(_("最高出价"))
    price_after = money_field(_("出价后当前价"))
    leading_after = models.BooleanField(_("出价后领先"))
    extended = models.BooleanField(_("触发延时"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("出价")
        verbose_name_plural = _("出价")

    def __str__(self) -> str:
        return f"{self.bidder_id} ≤ {self.maximum} → {self.price_after}"


class BidderMaximum(models.Model):
    """The hidden proxy maximum of one bidder on one lot (raised, never lowered)."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="maxima")
    bidder = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    maximum = money_field(_("最高出价"))
    # Sequence of the bid that set this maximum: on equal maxima the earlier one wins.
    set_by_bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lot", "bidder"], name="bidder_maximum_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.lot_id}/{self.bidder_id}: {self.maximum}"


class LotEventKind(models.TextChoices):
    OPENED = "opened", _("开拍")
    EXTENDED = "extended", _("延时")
    CLOSED = "closed", _("结束")


class LotEvent(models.Model):
    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=LotEventKind.choices)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            # The last line of defence against a lot closing twice.
            models.UniqueConstraint(
                fields=["lot"], condition=Q(kind="closed"), name="lotevent_one_close_per_lot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lot_id}: {self.kind}"


class DepositMethod(models.TextChoices):
    CARD = "card", _("银行卡预授权")
    BANK = "bank", _("对公转账保证金")
    WAIVED = "waived", _("免保证金（已获融资预审批）")


class QualificationStatus(models.TextChoices):
    PENDING = "pending", _("待缴保证金")
    ACTIVE = "active", _("可出价")
    RELEASED = "released", _("已退还")
    APPLIED = "applied", _("已抵扣货款")
    FORFEITED = "forfeited", _("已罚没")
    CANCELLED = "cancelled", _("已取消")


class BidderQualification(models.Model):
    """A bidder's right to bid on a lot up to a limit, backed by a deposit."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="qualifications")
    bidder = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    bidding_limit = money_field(_("竞价上限"))
    deposit_amount = money_field(_("保证金"))
    currency = currency_field()
    method = models.CharField(_("方式"), max_length=10, choices=DepositMethod.choices)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=QualificationStatus.choices,
        default=QualificationStatus.PENDING,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("竞买资格")
        verbose_name_plural = _("竞买资格")
        constraints = [
            models.UniqueConstraint(
                fields=["lot", "bidder"],
                condition=Q(status__in=["pending", "active"]),
                name="qualification_one_live_per_bidder",
            ),
            models.CheckConstraint(
                condition=Q(bidding_limit__gt=0), name="qualification_limit_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bidder_id} @ {self.lot_id} ≤ {self.bidding_limit} ({self.status})"


class QualificationEventKind(models.TextChoices):
    REQUESTED = "requested", _("申请")
    ACTIVATED = "activated", _("保证金到位，可出价")
    RELEASED = "released", _("保证金退还")
    APPLIED = "applied", _("保证金抵扣货款")
    FORFEITED = "forfeited", _("保证金罚没")
    CANCELLED = "cancelled", _("取消")


class QualificationEvent(models.Model):
    """One step of a qualification, written by the transition that made it."""

    qualification = models.ForeignKey(
        BidderQualification, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=QualificationEventKind.choices)
    from_status = models.CharField(max_length=12, choices=QualificationStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=QualificationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.qualification_id}: {self.kind}"
