"""Reads for the listing page's buyer sections: similar machines, price history, recent
price drops (also for cards) and the questions a viewer may see. Each read is a fixed
number of queries, whatever the catalogue's size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Abs
from django.utils import timezone

from accounts.models import User
from accounts.permissions import Permission, has_org_permission, is_platform_staff
from marketplace.models import (
    Listing,
    ListingPriceChange,
    ListingQuestion,
    QuestionStatus,
)
from marketplace.selectors import _with_card_data

SIMILAR_LIMIT = 6
SIZE_TOLERANCE = Decimal("0.3")  # operating weight within ±30%
PRICE_TOLERANCE = Decimal("0.4")  # asking price within ±40%
PRICE_DROP_DAYS = 30  # a drop is "recent" (badge) for this many days


def listing_similar(*, listing: Listing, limit: int = SIMILAR_LIMIT) -> list[Listing]:
    """Published listings of the same category, nearest in price, excluding this one.

    First those of a nearby size (operating weight ±30%) and price (±40%), nearest price
    first; if fewer than ``limit``, the rest of the category fills up, newest first. At most
    two listing queries plus the photo prefetch of each.
    """
    machine = listing.machine
    base = _with_card_data(
        Listing.objects.published()
        .filter(machine__category_id=machine.category_id)
        .exclude(pk=listing.pk)
        .exclude(machine_id=machine.pk)
    )
    near = base
    weight = machine.equipment_model.operating_weight_t
    if weight:
        near = near.filter(
            machine__equipment_model__operating_weight_t__gte=weight * (1 - SIZE_TOLERANCE),
            machine__equipment_model__operating_weight_t__lte=weight * (1 + SIZE_TOLERANCE),
        )
    if listing.asking_price:
        price = listing.asking_price
        near = near.filter(
            Q(asking_price__isnull=True)
            | Q(
                asking_price__gte=price * (1 - PRICE_TOLERANCE),
                asking_price__lte=price * (1 + PRICE_TOLERANCE),
            )
        ).order_by(Abs(F("asking_price") - price).asc(nulls_last=True), "-published_at", "-id")
    else:
        near = near.order_by("-published_at", "-id")
    chosen = list(near[:limit])
    if len(chosen) < limit:
        more = base.exclude(pk__in=[item.pk for item in chosen]).order_by("-published_at", "-id")
        chosen += list(more[: limit - len(chosen)])
    return chosen


@dataclass(frozen=True)
class PriceHistory:
    """The first published asking price and every change since, oldest first."""

    first_price: Decimal | None
    changes: list[ListingPriceChange]

    @property
    def latest_drop(self) -> ListingPriceChange | None:
        drops = [change for change in self.changes if change.is_drop]
        return drops[-1] if drops else None


def listing_price_history(*, listing: Listing) -> PriceHistory:
    changes = list(ListingPriceChange.objects.filter(listing=listing).order_by("created_at", "id"))
    first = changes[0].old_price if changes else listing.asking_price
    return PriceHistory(first_price=first, changes=changes)


def recent_price_drops(
    listing_ids: list[int], *, now: dt.datetime | None = None, days: int = PRICE_DROP_DAYS
) -> dict[int, ListingPriceChange]:
    """Each listing's latest change if it was a drop within ``days`` (one query)."""
    since = (now or timezone.now()) - dt.timedelta(days=days)
    latest: dict[int, ListingPriceChange] = {}
    rows = ListingPriceChange.objects.filter(
        listing_id__in=listing_ids, created_at__gte=since
    ).order_by("listing_id", "created_at", "id")
    for change in rows:
        latest[change.listing_id] = change
    return {key: change for key, change in latest.items() if change.is_drop}


@dataclass
class ListingQuestions:
    """What one viewer sees of a listing's questions."""

    published: list[ListingQuestion]
    own_pending: list[ListingQuestion] = field(default_factory=list)  # the asker's, unpublished
    to_answer: list[ListingQuestion] = field(default_factory=list)  # the seller's queue


def listing_questions_for(*, listing: Listing, user: User | None) -> ListingQuestions:
    """Published questions for everyone; the asker also sees their own pending ones (with
    their state), the seller's listing managers every question still open. Two queries."""
    rows = list(
        ListingQuestion.objects.filter(listing=listing)
        .exclude(status=QuestionStatus.REJECTED)
        .order_by("created_at", "id")
    )
    result = ListingQuestions(published=[q for q in rows if q.status == QuestionStatus.PUBLISHED])
    if user is None or not user.is_authenticated:
        return result
    if has_org_permission(user, listing.seller, Permission.LISTING_MANAGE):
        result.to_answer = [q for q in rows if q.status != QuestionStatus.PUBLISHED]
    else:
        result.own_pending = [
            q for q in rows if q.asked_by_id == user.pk and q.status != QuestionStatus.PUBLISHED
        ]
    return result


def questions_awaiting_review(user: User | None) -> QuerySet[ListingQuestion]:
    """The staff moderation queue: answered questions, oldest first (empty for non-staff)."""
    return _staff_questions(user, QuestionStatus.AWAITING_REVIEW)


def questions_unanswered(user: User | None) -> QuerySet[ListingQuestion]:
    """Questions the seller has not answered yet (staff may reject spam among them)."""
    return _staff_questions(user, QuestionStatus.AWAITING_ANSWER)


def _staff_questions(user: User | None, status: str) -> QuerySet[ListingQuestion]:
    if not is_platform_staff(user):
        return ListingQuestion.objects.none()
    return (
        ListingQuestion.objects.filter(status=status)
        .select_related("listing", "asked_by", "answered_by")
        .order_by("created_at", "id")
    )
