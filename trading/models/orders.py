"""Orders with their events, seller payouts and the buyer's watchlist."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.money import currency_field, money_field
from trading.models.auctions import Lot
from trading.models.offers import Offer


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
    ALIPAY = "alipay", _("支付宝")
    WECHAT_PAY = "wechat_pay", _("微信支付")


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
    """What the platform owes the seller once the buyer has paid (settled off-platform):
    the price (gross) less the seller commission and the settlement fee under the rules in
    force when the order was paid; ``amount`` is the net owed."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="payout")
    seller = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    gross = money_field(_("成交价"), default=0)
    commission = money_field(_("卖家佣金"), default=0)
    fees = money_field(_("结算手续费"), default=0)
    amount = money_field(_("应付卖家"))
    currency = currency_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(amount=F("gross") - F("commission") - F("fees")),
                name="sellerpayout_net_is_gross_less_deductions",
            ),
        ]

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
