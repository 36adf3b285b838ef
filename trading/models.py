"""Models of the trading app: offers, timed auctions (sales, lots, bids, proxy maxima),
bidder qualification with deposits, orders and their events.

Every state machine has a ``*Status`` choice and a transitions table in the services; each
transition writes an event row in the same transaction.
"""

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


class OfferStatus(models.TextChoices):
    OPEN = "open", _("待卖家答复")
    COUNTERED = "countered", _("卖家已还价")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已拒绝")
    EXPIRED = "expired", _("已过期")
    WITHDRAWN = "withdrawn", _("已撤回")


class Offer(models.Model):
    wagtail_reference_index_ignore = True  # domain rows: not Wagtail content (issue #13)

    listing = models.ForeignKey(
        "marketplace.Listing", on_delete=models.PROTECT, related_name="offers"
    )
    buyer = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    amount = money_field(_("出价金额"))
    counter_amount = money_field(_("还价金额"), null=True, blank=True)
    currency = currency_field()
    message = models.CharField(_("留言"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN
    )
    expires_at = models.DateTimeField(_("有效期至"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("议价")
        verbose_name_plural = _("议价")
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "buyer"],
                condition=Q(status__in=["open", "countered"]),
                name="offer_one_open_per_buyer",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="offer_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.listing_id}: {self.amount} ({self.status})"

    @property
    def agreed_amount(self):
        return self.counter_amount if self.status == OfferStatus.COUNTERED else self.amount


class OfferEventKind(models.TextChoices):
    MADE = "made", _("出价")
    COUNTERED = "countered", _("还价")
    ACCEPTED = "accepted", _("接受")
    DECLINED = "declined", _("拒绝")
    EXPIRED = "expired", _("过期")
    WITHDRAWN = "withdrawn", _("撤回")


class OfferEvent(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=12, choices=OfferEventKind.choices)
    from_status = models.CharField(max_length=10, choices=OfferStatus.choices)
    to_status = models.CharField(max_length=10, choices=OfferStatus.choices)
    amount = money_field(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.offer_id}: {self.from_status} → {self.to_status}"


class OrderChannel(models.TextChoices):
    FIXED = "fixed", _("一口价")
    OFFER = "offer", _("议价")
    AUCTION = "auction", _("拍卖")


class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("待付款")
    PAID = "paid", _("已付款，已放行")
    DEFAULTED = "defaulted", _("逾期违约")
    CANCELLED = "cancelled", _("已取消")


ACTIVE_ORDER_STATUSES = [OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID]


class PaymentRail(models.TextChoices):
    CARD = "card", _("银行卡（Stripe）")
    BANK = "bank", _("对公转账")


class Order(models.Model):
    """A sale in progress: the listing is reserved while the order awaits payment."""

    wagtail_reference_index_ignore = True  # domain rows: not Wagtail content (issue #13)

    listing = models.ForeignKey(
        "marketplace.Listing", on_delete=models.PROTECT, related_name="orders"
    )
    buyer = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="orders"
    )
    seller = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(_("成交方式"), max_length=10, choices=OrderChannel.choices)
    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    price = money_field(_("成交价"))
    buyer_fee = money_field(_("买家佣金"))
    fee_vat = money_field(_("佣金增值税"))
    total = money_field(_("合计"))
    deposit_applied = money_field(_("已抵扣保证金"), default=0)
    amount_due = money_field(_("应付金额"))
    currency = currency_field()
    payment_rail = models.CharField(
        _("付款方式"), max_length=10, choices=PaymentRail.choices, blank=True
    )
    bank_reference = models.CharField(_("转账附言"), max_length=32, unique=True)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.AWAITING_PAYMENT,
    )
    payment_deadline = models.DateTimeField(_("付款截止时间"))
    payment_reminded_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    # After payment: collection, the storage fee charged up to it, or abandonment.
    collected_at = models.DateTimeField(_("提货时间"), null=True, blank=True)
    storage_fee = money_field(_("保管费"), default=0)
    abandoned_at = models.DateTimeField(_("视为放弃时间"), null=True, blank=True)
    forfeited_amount = money_field(_("罚没保证金"), default=0)
    refund_due = money_field(_("应退保证金"), default=0)
    is_simulated = models.BooleanField(_("模拟数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("订单")
        verbose_name_plural = _("订单")
        constraints = [
            models.UniqueConstraint(
                fields=["listing"],
                condition=Q(status__in=["awaiting_payment", "paid"]),
                name="order_one_active_per_listing",
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="order_price_positive"),
            models.CheckConstraint(
                condition=Q(amount_due__gte=0), name="order_amount_due_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        return self.bank_reference


class OrderEventKind(models.TextChoices):
    """What happened to an order; collection and abandonment keep the status (paid)."""

    CREATED = "created", _("下单")
    PAID = "paid", _("付款完成")
    DEFAULTED = "defaulted", _("逾期违约")
    CANCELLED = "cancelled", _("取消")
    COLLECTED = "collected", _("已提货")
    ABANDONED = "abandoned", _("视为放弃")


class OrderEvent(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=12, choices=OrderEventKind.choices)
    from_status = models.CharField(max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=OrderStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status} → {self.to_status}"


class SellerPayout(models.Model):
    """What the platform owes the seller once the buyer has paid (settled off-platform)."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="payout")
    seller = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    amount = money_field(_("应付卖家"))
    currency = currency_field()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.order_id}: {self.amount} {self.currency}"


class WatchedListing(models.Model):
    """A listing a user follows from their watchlist (one row per user and listing)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watched_listings"
    )
    listing = models.ForeignKey(
        "marketplace.Listing", on_delete=models.CASCADE, related_name="watchers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("关注的设备")
        verbose_name_plural = _("关注的设备")
        constraints = [
            models.UniqueConstraint(fields=["user", "listing"], name="watched_listing_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.listing_id}"
