"""Demo price drops and public questions, so the listing page's price history, the "降价"
badges and the questions section have something to show. Simulated like the rest of the demo;
written in bulk (no notifications), and skipped when any price change already exists."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from marketplace.models import (
    Listing,
    ListingPriceChange,
    ListingQuestion,
    QuestionStatus,
    SaleFormat,
)

DROP_SHARE = 0.06  # of published fixed-price and negotiable listings
QUESTIONS = [
    ("请问履带板和斗齿磨损情况如何？", "履带板约七成新，斗齿去年更换过。"),
    ("可以到现场看机试机吗？", "可以，工作日在堆场可安排试机，请通过平台预约。"),
    ("发动机有没有大修过？", "没有大修，按时保养，记录见页面保养维修记录。"),
]


@transaction.atomic
def demo_listing_content_seed(*, seed: int, log: Callable[[str], None]) -> int:
    if ListingPriceChange.objects.exists():
        return 0
    rng = random.Random(seed + 14)  # noqa: S311 - demo data, not security
    now = timezone.now()
    listings = list(
        Listing.objects.published()
        .filter(sale_format__in=[SaleFormat.FIXED, SaleFormat.OFFER], is_simulated=True)
        .order_by("id")
    )
    dropped = [item for item in listings if rng.random() < DROP_SHARE]
    changes = []
    for listing in dropped:
        cut = Decimal(str(rng.uniform(0.03, 0.09)))
        new_price = (listing.asking_price * (1 - cut) / 1000).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        ) * 1000
        if new_price <= 0 or new_price == listing.asking_price:
            continue
        changes.append(
            ListingPriceChange(
                listing=listing,
                old_price=listing.asking_price,
                new_price=new_price,
                currency=listing.currency,
                created_at=now - dt.timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 23)),
            )
        )
        listing.asking_price = new_price
    ListingPriceChange.objects.bulk_create(changes)
    Listing.objects.bulk_update([change.listing for change in changes], ["asking_price"])
    asked = _questions(listings[:3], now)
    log(f"listing content: {len(changes)} price drops, {asked} published questions (simulated)")
    return len(changes)


def _questions(listings: list[Listing], now: dt.datetime) -> int:
    asker = User.objects.filter(username="buyer").first()
    if asker is None:
        return 0
    rows = [
        ListingQuestion(
            listing=listing,
            asked_by=asker,
            question=question,
            answer=answer,
            answered_at=now - dt.timedelta(days=1),
            status=QuestionStatus.PUBLISHED,
            moderated_at=now - dt.timedelta(hours=20),
            created_at=now - dt.timedelta(days=2),
        )
        for listing in listings
        for question, answer in QUESTIONS[:2]
    ]
    ListingQuestion.objects.bulk_create(rows)
    return len(rows)
