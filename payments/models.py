"""Models of the payments app: payments on either rail (Stripe card, bank transfer) and the
Stripe webhook events as received, so replays and out-of-order deliveries are harmless."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import currency_field, money_field


class PaymentPurpose(models.TextChoices):
    DEPOSIT = "deposit", _("竞买保证金")
    ORDER = "order", _("订单货款")


class PaymentRailChoice(models.TextChoices):
    CARD = "card", _("银行卡（Stripe）")
    BANK = "bank", _("对公转账")
    # Chinese wallets through Stripe PaymentIntents (issue #14); paid only by the webhook.
    ALIPAY = "alipay", _("支付宝")
    WECHAT_PAY = "wechat_pay", _("微信支付")


#: The rails collected through Stripe PaymentIntents (the webhook may move these).
STRIPE_RAILS = (PaymentRailChoice.CARD, PaymentRailChoice.ALIPAY, PaymentRailChoice.WECHAT_PAY)


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("待支付")
    AUTHORIZED = "authorized", _("已预授权")
    SUCCEEDED = "succeeded", _("已到账")
    CANCELLED = "cancelled", _("已取消/已释放")
    FAILED = "failed", _("失败")


class Payment(models.Model):
    """One payment on one rail for a deposit or an order."""

    wagtail_reference_index_ignore = True  # domain rows: not Wagtail content (issue #13)

    purpose = models.CharField(max_length=10, choices=PaymentPurpose.choices)
    rail = models.CharField(max_length=10, choices=PaymentRailChoice.choices)
    order = models.ForeignKey(
        "trading.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    qualification = models.ForeignKey(
        "trading.BidderQualification",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    amount = money_field(_("金额"))
    captured_amount = money_field(_("已扣款金额"), default=0)
    refunded_amount = money_field(_("已退款金额"), default=0)
    currency = currency_field()
    status = models.CharField(
        _("状态"), max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    stripe_payment_intent_id = models.CharField(max_length=64, blank=True)
    client_secret = models.CharField(max_length=128, blank=True)
    # What the buyer must do next for a wallet intent (Stripe's next_action): the Alipay
    # page to go to, or the WeChat Pay QR code (its data and Stripe's pre-rendered image).
    action_url = models.CharField(_("付款跳转地址"), max_length=2000, blank=True)
    action_qr_data = models.CharField(_("付款二维码内容"), max_length=2000, blank=True)
    action_qr_image = models.TextField(_("付款二维码图片"), blank=True)
    bank_reference = models.CharField(_("转账附言"), max_length=32, blank=True)
    received_amount = money_field(_("实收金额"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A bank deposit paid back by the platform's own transfer (recorded by staff).
    refund_reference = models.CharField(_("退款流水号"), max_length=64, blank=True)
    refunded_at = models.DateTimeField(_("退款时间"), null=True, blank=True)
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("支付")
        verbose_name_plural = _("支付")
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_payment_intent_id"],
                condition=~Q(stripe_payment_intent_id=""),
                name="payment_unique_intent",
            ),
            models.UniqueConstraint(
                fields=["bank_reference"],
                condition=~Q(bank_reference=""),
                name="payment_unique_bank_reference",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.amount} {self.currency} ({self.status})"


class PaymentEventKind(models.TextChoices):
    CREATED = "created", _("已创建")
    AUTHORIZED = "authorized", _("已预授权")
    SUCCEEDED = "succeeded", _("已到账")
    FAILED = "failed", _("失败")
    CANCELLED = "cancelled", _("已取消/已释放")
    RETRIED = "retried", _("重新支付")
    REFUNDED = "refunded", _("已退款")


class PaymentEvent(models.Model):
    """One step in a payment's life, written by the transition that made it (services)."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=12, choices=PaymentEventKind.choices)
    from_status = models.CharField(max_length=12, choices=PaymentStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=PaymentStatus.choices)
    amount = money_field(_("金额"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("支付记录")
        verbose_name_plural = _("支付记录")

    def __str__(self) -> str:
        return f"{self.payment_id}: {self.kind}"


class DepositEntryKind(models.TextChoices):
    """Where a deposit's money went. Per deposit, applied + released + forfeited + refund_due
    equals what was held, and refunded ≤ refund_due (the difference is still owed back)."""

    APPLIED = "applied", _("抵扣货款")
    RELEASED = "released", _("预授权释放")
    FORFEITED = "forfeited", _("违约罚没")
    REFUND_DUE = "refund_due", _("应退")
    REFUNDED = "refunded", _("已退")


class DepositEntry(models.Model):
    """One movement of a deposit's money, written in the transaction that decides it.

    An ``applied`` amount is reversed by a negative ``applied`` entry when the order it paid
    for defaults (it then becomes forfeited and owed back by the rule); every other kind is
    positive."""

    wagtail_reference_index_ignore = True  # domain rows: not Wagtail content (issue #13)

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="deposit_entries")
    kind = models.CharField(_("类型"), max_length=12, choices=DepositEntryKind.choices)
    amount = money_field(_("金额"))
    currency = currency_field()
    order = models.ForeignKey(
        "trading.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("原因"), max_length=12, blank=True)
    reference = models.CharField(_("流水号"), max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("保证金去向")
        verbose_name_plural = _("保证金去向")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) | (Q(kind="applied") & ~Q(amount=0)),
                name="depositentry_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} {self.kind} {self.amount}"


class WebhookEventStatus(models.TextChoices):
    RECEIVED = "received", _("已接收")
    PROCESSED = "processed", _("已处理")
    DEFERRED = "deferred", _("待重试")
    IGNORED = "ignored", _("已忽略")
    FAILED = "failed", _("处理失败")
    REJECTED = "rejected", _("已拒收")


class WebhookRejectReason(models.TextChoices):
    """Why a signed event was not applied to the payment it names."""

    INTENT_MISMATCH = "intent_mismatch", _("支付意图不符")
    RAIL_MISMATCH = "rail_mismatch", _("支付方式不符")
    AMOUNT_MISMATCH = "amount_mismatch", _("金额不符")
    CURRENCY_MISMATCH = "currency_mismatch", _("币种不符")


class WebhookEvent(models.Model):
    """A verified Stripe event; the unique event id makes a replay a no-op."""

    wagtail_reference_index_ignore = True  # domain rows: not Wagtail content (issue #13)

    stripe_event_id = models.CharField(max_length=80, unique=True)
    event_type = models.CharField(max_length=80)
    payment_intent_id = models.CharField(max_length=64, blank=True, db_index=True)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=WebhookEventStatus.choices, default=WebhookEventStatus.RECEIVED
    )
    reject_reason = models.CharField(
        _("拒绝原因"), max_length=20, choices=WebhookRejectReason.choices, blank=True
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("Stripe 事件")
        verbose_name_plural = _("Stripe 事件")

    def __str__(self) -> str:
        return f"{self.stripe_event_id} {self.event_type} ({self.status})"
