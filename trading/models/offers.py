"""Offers and counter-offers with their events."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.money import currency_field, money_field


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
