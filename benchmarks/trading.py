"""The bidding benchmark: many concurrent bidders against one lot through the real services.

Used by ``manage.py trading_benchmark``. Creates simulated organizations, a lot and waived
qualifications, runs one thread per bidder (each with its own database connection), checks the
result against an independent recomputation of the proxy rule, and removes what it created.
"""

import datetime as dt
import random
import secrets
import threading
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Membership, Organization, OrganizationKind, Role, User
from core.errors import DomainError
from core.money import quantize_money
from marketplace.models import (
    Brand,
    Category,
    EquipmentModel,
    Listing,
    ListingEvent,
    Machine,
    SaleFormat,
)
from notifications.models import Notification
from trading.models import (
    Bid,
    BidderMaximum,
    BidderQualification,
    DepositMethod,
    Lot,
    LotEvent,
    QualificationStatus,
)
from trading.rules import current_rules
from trading.services.auctions import bid_place


@dataclass
class BenchmarkResult:
    bids: int
    accepted: int
    rejected: int
    seconds: float
    final_price: Decimal
    expected_final_price: Decimal
    winner_ok: bool

    def as_dict(self) -> dict:
        return {
            "bids": self.bids,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "seconds": round(self.seconds, 3),
            "bids_per_second": round(self.bids / self.seconds, 1) if self.seconds else None,
            "final_price": str(quantize_money(self.final_price)),
            "expected_final_price": str(quantize_money(self.expected_final_price)),
            "winner_ok": self.winner_ok,
        }


def expected_outcome(
    accepted: list[tuple[int, int, Decimal]], opening_bid: Decimal
) -> tuple[int, Decimal]:
    """Winner and price from the accepted maxima alone (refused bids change nothing):
    the highest final maximum wins (ties: the earlier bid), at one increment over the
    runner-up's maximum, capped at the winner's maximum."""
    final: dict[int, tuple[Decimal, int]] = {}
    for bid_id, org_id, maximum in sorted(accepted):
        final[org_id] = (maximum, bid_id)
    ranked = sorted(final.items(), key=lambda item: (-item[1][0], item[1][1]))
    winner, (winner_max, _) = ranked[0]
    if len(ranked) == 1:
        return winner, opening_bid
    second = ranked[1][1][0]
    if second == winner_max:
        return winner, winner_max
    return winner, min(winner_max, second + current_rules().increment_for(second))


def _setup(bidders: int, tag: str) -> tuple[Lot, list[tuple[Organization, User]]]:
    with transaction.atomic():
        seller = Organization.objects.create(
            name=f"基准测试卖家 {tag}",
            kind=OrganizationKind.DEALER,
            kyc_status="verified",
            is_simulated=True,
        )
        category, _ = Category.objects.get_or_create(
            slug="benchmark-excavator",
            defaults={"name": "基准测试挖掘机", "name_en": "Benchmark excavator"},
        )
        brand, _ = Brand.objects.get_or_create(
            slug="benchmark-brand", defaults={"name": "基准品牌", "name_en": "Benchmark"}
        )
        model, _ = EquipmentModel.objects.get_or_create(
            brand=brand, name="BENCH-1", defaults={"category": category}
        )
        machine = Machine.objects.create(
            equipment_model=model,
            brand=brand,
            category=category,
            serial_number=f"BENCH-{tag}",
            owner=seller,
            province="湖南省",
            city="长沙市",
            is_simulated=True,
        )
        now = timezone.now()
        listing = Listing.objects.create(
            machine=machine,
            seller=seller,
            title=f"基准测试拍品 {tag}",
            sale_format=SaleFormat.AUCTION,
            status="published",
            published_at=now,
            is_simulated=True,
        )
        lot = Lot.objects.create(
            listing=listing,
            starts_at=now - dt.timedelta(minutes=1),
            ends_at=now + dt.timedelta(days=1),
            scheduled_ends_at=now + dt.timedelta(days=1),
            soft_close_minutes=current_rules().soft_close_minutes,
            opening_bid=Decimal("10000.00"),
            is_simulated=True,
        )
        people = []
        for index in range(bidders):
            org = Organization.objects.create(
                name=f"基准竞买人 {tag}-{index}",
                kind=OrganizationKind.BUYER,
                kyc_status="verified",
                is_simulated=True,
            )
            user = User.objects.create(username=f"bench-{tag}-{index}", email="")
            Membership.objects.create(user=user, organization=org, role=Role.BUYER)
            BidderQualification.objects.create(
                lot=lot,
                bidder=org,
                requested_by=user,
                bidding_limit=Decimal("100000000"),
                deposit_amount=Decimal("0"),
                method=DepositMethod.WAIVED,
                status=QualificationStatus.ACTIVE,
            )
            people.append((org, user))
    return lot, people


def _teardown(lot: Lot, people: list[tuple[Organization, User]]) -> None:
    with transaction.atomic():
        listing = lot.listing
        users = [user.pk for _, user in people]
        Notification.objects.filter(recipient_id__in=users).delete()
        BidderMaximum.objects.filter(lot=lot).delete()
        Bid.objects.filter(lot=lot).delete()
        LotEvent.objects.filter(lot=lot).delete()
        BidderQualification.objects.filter(lot=lot).delete()
        lot.delete()
        ListingEvent.objects.filter(listing=listing).delete()
        machine, seller = listing.machine, listing.seller
        listing.delete()
        machine.delete()
        User.objects.filter(pk__in=users).delete()
        Organization.objects.filter(pk__in=[org.pk for org, _ in people] + [seller.pk]).delete()


def run_benchmark(
    *, bidders: int, bids_per_bidder: int, seed: int = 1, keep: bool = False
) -> BenchmarkResult:
    tag = secrets.token_hex(3)
    lot, people = _setup(bidders, tag)
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not crypto
    # Rising maxima: in round k every bidder picks a maximum in the k-th price band, so the
    # contest stays close and a good share of bids is accepted (as in a real closing rush).
    band = 20000
    plans = [
        [Decimal(10000 + band * k + rng.randrange(0, band, 100)) for k in range(bids_per_bidder)]
        for _ in people
    ]
    barrier = threading.Barrier(len(people) + 1)
    outcomes: list = [None] * len(people)

    def bidder(index: int) -> None:
        org, user = people[index]
        accepted, rejected = [], 0
        try:
            connection.ensure_connection()  # as a web worker's persistent connection would be
            barrier.wait()
            for maximum in plans[index]:
                try:
                    result = bid_place(lot=lot, bidder=org, actor=user, maximum=maximum)
                    accepted.append((result.bid.pk, org.pk, maximum))
                except DomainError:
                    rejected += 1
            outcomes[index] = (accepted, rejected)
        finally:
            connection.close()

    threads = [threading.Thread(target=bidder, args=(i,)) for i in range(len(people))]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    try:
        if any(outcome is None for outcome in outcomes):
            raise RuntimeError("a bidder thread failed; see the traceback above")
        accepted = [bid for bids, _ in outcomes for bid in bids]
        rejected = sum(count for _, count in outcomes)
        lot.refresh_from_db()
        winner, price = expected_outcome(accepted, lot.opening_bid)
        highest_accepted = max((maximum for _, _, maximum in accepted), default=None)
        stored = Bid.objects.filter(lot=lot).count()
        winner_ok = (
            lot.leader_id == winner
            and lot.current_price == price
            and lot.leader_maximum == highest_accepted
            and stored == len(accepted) == lot.bid_count
        )
        return BenchmarkResult(
            bids=len(accepted) + rejected,
            accepted=len(accepted),
            rejected=rejected,
            seconds=seconds,
            final_price=lot.current_price,
            expected_final_price=price,
            winner_ok=winner_ok,
        )
    finally:
        if not keep:
            _teardown(lot, people)
