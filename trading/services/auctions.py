"""Timed auctions: the proxy rule and bidding, with soft close. Lots and sales are created
in ``lots``, closed in ``closing``, qualified in ``qualifications``; their public names are
importable from here too.

Proxy rule (DOMAIN.md): each bidder's maximum stays hidden; the price is only as much as
needed over the next best maximum (one increment above it, capped at the leader's maximum);
on equal maxima the earlier bid wins; a maximum can be raised, never lowered; accepted bids
are binding. With a reserve, the price rises to the reserve as soon as the leader's maximum
covers it.

Every bid locks the lot row (``trading.lock_objects.lot_lock``), so bids are serialised per
lot and none is lost. Closing locks the same row (``closing``).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from core.errors import ConflictError, DomainError, PermissionDeniedError
from core.money import format_cny, quantize_money
from marketplace.sellability import require_machine_sellable
from trading.errors import TradingErrorCode as Code
from trading.lock_objects import lots_lock
from trading.models import (
    Bid,
    BidderMaximum,
    BidderQualification,
    Lot,
    LotEvent,
    LotEventKind,
    LotStatus,
    QualificationStatus,
)
from trading.rules import TradingRules, current_rules
from trading.services.closing import lot_close, lots_close_due  # noqa: F401 - kept here
from trading.services.common import notify_after_commit, require_buyer
from trading.services.lots import (  # noqa: F401 - public names kept here
    LotTerms,
    _schedule_close,
    lot_create,
    lot_url,
    sale_create,
)
from trading.services.qualifications import (  # noqa: F401 - public names kept here
    qualification_activate,
    qualification_request,
)

# ---------------------------------------------------------------- the proxy rule (pure)


@dataclass(frozen=True)
class ProxyOutcome:
    leader_id: int
    leader_maximum: Decimal
    price: Decimal
    leader_changed: bool


def minimum_next_bid(
    *, opening_bid: Decimal, price: Decimal | None, rules: TradingRules
) -> Decimal:
    if price is None:
        return opening_bid
    return price + rules.increment_for(price)


def proxy_apply(
    *,
    rules: TradingRules,
    opening_bid: Decimal,
    reserve: Decimal | None,
    price: Decimal | None,
    leader_id: int | None,
    leader_maximum: Decimal | None,
    bidder_id: int,
    maximum: Decimal,
) -> ProxyOutcome:
    """The state after an accepted bid (validation is done by the caller)."""
    if price is None or leader_id is None:
        new = ProxyOutcome(bidder_id, maximum, opening_bid, True)
    elif bidder_id == leader_id:
        new = ProxyOutcome(leader_id, maximum, price, False)
    elif maximum > leader_maximum:
        step = leader_maximum + rules.increment_for(leader_maximum)
        new = ProxyOutcome(bidder_id, maximum, min(maximum, step), True)
    else:  # equal or lower maximum: the earlier bidder keeps the lead
        step = maximum + rules.increment_for(maximum)
        new = ProxyOutcome(leader_id, leader_maximum, min(leader_maximum, step), False)
    if reserve is not None and new.price < reserve <= new.leader_maximum:
        new = ProxyOutcome(new.leader_id, new.leader_maximum, reserve, new.leader_changed)
    return new


# ---------------------------------------------------------------- bidding


@dataclass(frozen=True)
class BidResult:
    bid: Bid
    leading: bool
    price: Decimal
    ends_at: dt.datetime
    extended: bool


def _refuse(message: str, code: Code, error=DomainError) -> None:
    raise error(message, code=code, fields={"maximum": [message]})


def _check_public(
    *, lot: Lot, bidder: Organization, maximum: Decimal, now: dt.datetime, rules: TradingRules
) -> None:
    """Refusals that depend only on the lot's public state (open, price, increment)."""
    if lot.status != LotStatus.OPEN or now >= lot.ends_at:
        _refuse(_("拍卖已结束，不能再出价。"), Code.LOT_CLOSED, ConflictError)
    if now < lot.starts_at:
        _refuse(_("拍卖尚未开始。"), Code.LOT_NOT_STARTED, ConflictError)
    if lot.leader_id != bidder.pk:
        minimum = minimum_next_bid(
            opening_bid=lot.opening_bid, price=lot.current_price, rules=rules
        )
        if maximum < minimum:
            _refuse(
                _("出价至少为 %(amount)s（当前价加一个加价幅度）。")
                % {"amount": format_cny(minimum)},
                Code.BELOW_INCREMENT,
            )


def _check_bid(
    *,
    lot: Lot,
    bidder: Organization,
    maximum: Decimal,
    now: dt.datetime,
    rules: TradingRules,
    limit: Decimal | None,
    previous: Decimal | None,
) -> None:
    """All refusal rules, applied to one consistent (locked) view of the lot and bidder."""
    _check_public(lot=lot, bidder=bidder, maximum=maximum, now=now, rules=rules)
    if limit is None:
        _refuse(
            _("请先缴纳保证金、取得竞买资格后再出价。"), Code.NOT_QUALIFIED, PermissionDeniedError
        )
    if maximum > limit:
        _refuse(
            _("出价超过您的竞价上限 %(limit)s。") % {"limit": format_cny(limit)}, Code.OVER_LIMIT
        )
    if previous is not None and maximum <= previous:
        _refuse(
            _("最高出价只能提高，不能降低（当前 %(amount)s）。") % {"amount": format_cny(previous)},
            Code.MAXIMUM_NOT_RAISED,
        )


def _with_bidder_state(queryset, bidder: Organization):
    """Annotate the lot with the bidder's limit and current maximum (one query)."""
    return queryset.annotate(
        bidder_limit=Subquery(
            BidderQualification.objects.filter(
                lot=OuterRef("pk"), bidder=bidder, status=QualificationStatus.ACTIVE
            ).values("bidding_limit")[:1]
        ),
        bidder_maximum=Subquery(
            BidderMaximum.objects.filter(lot=OuterRef("pk"), bidder=bidder).values("maximum")[:1]
        ),
    )


def bid_place(*, lot: Lot, bidder: Organization, actor: User, maximum: Decimal) -> BidResult:
    """Place (or raise) a proxy maximum. Refusals raise a DomainError and change nothing.

    The public rules (lot open, minimum increment) are checked first on an unlocked read: a
    refusal there is correct as of that read, since a lot's price only rises. Then the
    bidder's permission, and then every rule again under the lot's row lock, whose view is the
    one an accepted bid is based on. Most losing bids in a rush cost one query and never wait
    for the lock; the locked section is four statements.
    """
    if bidder is None:
        raise PermissionDeniedError(_("您没有执行此操作的权限。"))
    maximum = quantize_money(maximum)
    if maximum <= 0:
        _refuse(_("出价必须大于零。"), Code.INVALID_AMOUNT)
    rules = current_rules()
    snapshot = Lot.objects.select_related("listing__seller", "listing__machine").get(pk=lot.pk)
    _check_public(lot=snapshot, bidder=bidder, maximum=maximum, now=timezone.now(), rules=rules)
    require_buyer(actor=actor, buyer=bidder, seller=snapshot.listing.seller)
    require_machine_sellable(snapshot.listing.machine)
    with transaction.atomic():
        lot = _with_bidder_state(lots_lock([lot.pk]), bidder).get()
        lot.listing = snapshot.listing
        now = timezone.now()
        _check_bid(
            lot=lot,
            bidder=bidder,
            maximum=maximum,
            now=now,
            rules=rules,
            limit=lot.bidder_limit,
            previous=lot.bidder_maximum,
        )
        return _accept_bid(
            lot=lot, bidder=bidder, actor=actor, maximum=maximum, now=now, rules=rules
        )


def _accept_bid(*, lot, bidder, actor, maximum, now, rules) -> BidResult:
    old_leader_id = lot.leader_id
    outcome = proxy_apply(
        rules=rules,
        opening_bid=lot.opening_bid,
        reserve=lot.reserve_price,
        price=lot.current_price,
        leader_id=lot.leader_id,
        leader_maximum=lot.leader_maximum,
        bidder_id=bidder.pk,
        maximum=maximum,
    )
    window = dt.timedelta(minutes=lot.soft_close_minutes)
    extended = lot.ends_at - now <= window
    bid = Bid.objects.create(
        lot=lot,
        bidder=bidder,
        placed_by=actor,
        maximum=maximum,
        price_after=outcome.price,
        leading_after=outcome.leader_id == bidder.pk,
        extended=extended,
    )
    if lot.bidder_maximum is None:
        BidderMaximum.objects.create(lot=lot, bidder=bidder, maximum=maximum, set_by_bid=bid)
    else:
        BidderMaximum.objects.filter(lot=lot, bidder=bidder).update(maximum=maximum, set_by_bid=bid)
    lot.current_price = outcome.price
    lot.leader_id = outcome.leader_id
    lot.leader_maximum = outcome.leader_maximum
    lot.bid_count += 1
    fields = ["current_price", "leader", "leader_maximum", "bid_count"]
    if extended:
        lot.ends_at = max(lot.ends_at, now + window)
        lot.extension_count += 1
        fields += ["ends_at", "extension_count"]
        LotEvent.objects.create(
            lot=lot, kind=LotEventKind.EXTENDED, detail={"ends_at": lot.ends_at.isoformat()}
        )
        _schedule_close(lot)
    lot.save(update_fields=fields)
    if outcome.leader_changed and old_leader_id is not None and old_leader_id != bidder.pk:
        _notify_outbid(lot=lot, organization_id=old_leader_id)
    return BidResult(
        bid=bid,
        leading=bid.leading_after,
        price=outcome.price,
        ends_at=lot.ends_at,
        extended=extended,
    )


def _notify_outbid(*, lot: Lot, organization_id: int) -> None:
    previous = BidderMaximum.objects.select_related("set_by_bid__placed_by").get(
        lot=lot, bidder_id=organization_id
    )
    user = previous.set_by_bid.placed_by
    if user is None:
        return
    notify_after_commit(
        users=[user],
        kind="trading.outbid",
        title=lambda: _("您的出价已被超过：%(title)s") % {"title": lot.listing.display_title},
        body=lambda: _("当前价 %(price)s。") % {"price": format_cny(lot.current_price)},
        url=lot_url(lot),
    )
