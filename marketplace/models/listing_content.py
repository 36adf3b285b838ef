"""What a listing page adds to the bare listing: its price history and buyers' questions.

``ListingPriceChange`` is one change of a published listing's asking price (the seller
lowering it is a "降价" buyers watch for); ``ListingQuestion`` is a buyer's public question
with the seller's answer, shown only after platform staff approve it (``QuestionStatus``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import currency_field, money_field
from marketplace.models.listings import Listing


class ListingPriceChange(models.Model):
    """Append-only: written by ``listing_price_change`` in the same transaction as the new
    asking price, never edited."""

    wagtail_reference_index_ignore = True

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="price_changes")
    old_price = money_field(_("原价格"))
    new_price = money_field(_("新价格"))
    currency = currency_field()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("调价说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("调价记录")
        verbose_name_plural = _("调价记录")
        indexes = [models.Index(fields=["listing", "-created_at"], name="price_change_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(old_price__gt=0)
                & Q(new_price__gt=0)
                & ~Q(old_price=models.F("new_price")),
                name="price_change_positive_and_different",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.listing_id}: {self.old_price} → {self.new_price}"

    @property
    def is_drop(self) -> bool:
        return self.new_price < self.old_price


class QuestionStatus(models.TextChoices):
    AWAITING_ANSWER = "awaiting_answer", _("待卖家回答")
    AWAITING_REVIEW = "awaiting_review", _("待平台审核")
    PUBLISHED = "published", _("已公开")
    REJECTED = "rejected", _("未通过审核")


class ListingQuestionQuerySet(models.QuerySet):
    def published(self) -> "ListingQuestionQuerySet":
        return self.filter(status=QuestionStatus.PUBLISHED)

    def awaiting_review(self) -> "ListingQuestionQuerySet":
        return self.filter(status=QuestionStatus.AWAITING_REVIEW)


class ListingQuestion(models.Model):
    """A buyer's question on a listing and the seller's answer; public once staff approve."""

    wagtail_reference_index_ignore = True

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="listing_questions"
    )
    question = models.TextField(_("问题"))
    answer = models.TextField(_("回答"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=QuestionStatus.choices,
        default=QuestionStatus.AWAITING_ANSWER,
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(_("驳回原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ListingQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("买家提问")
        verbose_name_plural = _("买家提问")
        indexes = [models.Index(fields=["listing", "status"], name="question_listing_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | ~Q(answer=""),
                name="question_published_only_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.listing_id}#{self.pk} ({self.status})"
