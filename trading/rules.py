"""The published trading rules: one configuration that the rules page renders and the
services apply, so the rules shown are always the rules applied.

Change a figure here and both the public page and every new order, bid and deposit follow.
"""

import datetime as dt
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.conf import settings

from core.money import quantize_money
from payments.methods import charge_limit


@dataclass(frozen=True)
class PriceBand:
    """A band of prices up to ``up_to`` (inclusive; ``None`` = no upper bound)."""

    up_to: Decimal | None
    value: Decimal


def _band_value(bands: tuple[PriceBand, ...], amount: Decimal) -> PriceBand:
    for band in bands:
        if band.up_to is None or amount <= band.up_to:
            return band
    return bands[-1]


@dataclass(frozen=True)
class TradingRules:
    # Buyer fee by price band: a percentage of the hammer price; above the last band a flat fee.
    buyer_fee_bands: tuple[PriceBand, ...] = (
        PriceBand(Decimal("50000"), Decimal("0.08")),
        PriceBand(Decimal("200000"), Decimal("0.05")),
        PriceBand(Decimal("1000000"), Decimal("0.03")),
    )
    buyer_fee_flat_above: Decimal = Decimal("30000.00")
    # VAT charged on the platform's buyer fee (a modern service, 6%); machine prices are
    # quoted by the seller including VAT.
    fee_vat_rate: Decimal = Decimal("0.06")
    # Auction bid increments by the current price band.
    bid_increments: tuple[PriceBand, ...] = (
        PriceBand(Decimal("10000"), Decimal("200")),
        PriceBand(Decimal("50000"), Decimal("500")),
        PriceBand(Decimal("200000"), Decimal("1000")),
        PriceBand(Decimal("500000"), Decimal("2000")),
        PriceBand(Decimal("1000000"), Decimal("5000")),
        PriceBand(None, Decimal("10000")),
    )
    # Refundable deposit: this share of the bidder's chosen bidding limit.
    deposit_share: Decimal = Decimal("0.25")
    # Soft close: a bid in the last N minutes extends the lot to N minutes after the bid.
    soft_close_minutes: int = 5
    # Lots of one sale close this many seconds apart.
    stagger_seconds: int = 60
    # Days the buyer has to pay an order.
    payment_days: int = 7
    # Hours an offer or counter-offer stays open.
    offer_hours: int = 48
    # An offer must be at least this share of the asking price; a seller's counter-offer
    # lies above the buyer's offer and never above the asking price.
    offer_minimum_share: Decimal = Decimal("0.50")
    # On default the buyer forfeits this share of the price (at least the minimum), but never
    # more than the deposit held; the rest of the deposit is refunded.
    default_fee_rate: Decimal = Decimal("0.05")
    default_fee_minimum: Decimal = Decimal("3000.00")
    # What the seller pays out of the price when the buyer has paid: a commission on the
    # price and a flat settlement (bank transfer) fee per payout; the rest is paid out.
    seller_commission_rate: Decimal = Decimal("0.02")
    payout_fee: Decimal = Decimal("50.00")
    # Card authorisation holds last about seven days. A card deposit is only taken for a lot
    # that ends at least a day before the hold would lapse (soft-close extensions, closing);
    # for longer lots the bidder pays by bank transfer or applies closer to the end.
    card_hold_days: int = 7
    card_hold_margin_days: int = 1

    # After payment the machine waits for collection: free for this many business days
    # (Monday to Friday; public holidays are not modelled), then a storage fee per calendar
    # day until it is collected. Not collected this many days after payment, it counts as
    # abandoned and the seller may dispose of it.
    free_storage_business_days: int = 8
    storage_fee_per_day: Decimal = Decimal("200.00")
    abandon_after_days: int = 60

    def storage_starts_on(self, paid_on: dt.date) -> dt.date:
        """The first day storage is charged: the day after the last free business day."""
        day, counted = paid_on, 0
        while counted < self.free_storage_business_days:
            day += dt.timedelta(days=1)
            if day.weekday() < 5:
                counted += 1
        return day + dt.timedelta(days=1)

    def storage_days(self, paid_on: dt.date, until: dt.date) -> int:
        """Chargeable storage days from the start up to and including ``until``."""
        return max((until - self.storage_starts_on(paid_on)).days + 1, 0)

    def storage_fee_for(self, paid_on: dt.date, until: dt.date) -> Decimal:
        return quantize_money(self.storage_fee_per_day * self.storage_days(paid_on, until))

    def abandoned_on(self, paid_on: dt.date) -> dt.date:
        return paid_on + dt.timedelta(days=self.abandon_after_days)

    @property
    def card_charge_limit(self) -> Decimal:
        """Stripe refuses single card charges above this amount (the per-method limits are
        settings, ``settings.STRIPE_CHARGE_LIMITS``); larger payments go by bank transfer."""
        return charge_limit("card")

    @property
    def card_deposit_window_days(self) -> int:
        """A card deposit is taken for lots ending within this many days."""
        return self.card_hold_days - self.card_hold_margin_days

    def minimum_offer_for(self, asking_price: Decimal) -> Decimal:
        """The lowest acceptable offer, rounded up to the fen (so 50% of ¥145,000.01 is
        ¥72,500.01, never a fen below the published share)."""
        return (asking_price * self.offer_minimum_share).quantize(
            Decimal("0.01"), rounding=ROUND_CEILING
        )

    def increment_for(self, price: Decimal) -> Decimal:
        return _band_value(self.bid_increments, price).value

    def buyer_fee_for(self, price: Decimal) -> Decimal:
        last = self.buyer_fee_bands[-1]
        if last.up_to is not None and price > last.up_to:
            return quantize_money(self.buyer_fee_flat_above)
        rate = _band_value(self.buyer_fee_bands, price).value
        return quantize_money(price * rate)

    def seller_commission_for(self, price: Decimal) -> Decimal:
        return quantize_money(price * self.seller_commission_rate)

    def fee_vat_for(self, fee: Decimal) -> Decimal:
        return quantize_money(fee * self.fee_vat_rate)

    def deposit_for(self, bidding_limit: Decimal) -> Decimal:
        return quantize_money(bidding_limit * self.deposit_share)

    def default_forfeit_for(self, price: Decimal, deposit: Decimal) -> Decimal:
        fee = max(quantize_money(price * self.default_fee_rate), self.default_fee_minimum)
        return min(fee, deposit)

    def percent(self, rate: Decimal) -> str:
        value = (rate * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
        return f"{value:f}%"


RULES = TradingRules()


def current_rules() -> TradingRules:
    """The rules in force: the defaults above with the ``TRADING_RULES`` setting's overrides
    (a dict of field values, e.g. ``{"offer_minimum_share": Decimal("0.6")}``); a function so
    tests can patch one place."""
    overrides = getattr(settings, "TRADING_RULES", None)
    return replace(RULES, **overrides) if overrides else RULES


def band_rows(bands: tuple[PriceBand, ...]) -> list[tuple[Decimal, Decimal | None, Decimal]]:
    """(from, up to, value) rows for the rules page."""
    rows, lower = [], Decimal("0")
    for band in bands:
        rows.append((lower, band.up_to, band.value))
        lower = band.up_to if band.up_to is not None else lower
    return rows


def published_figures(rules: TradingRules) -> dict:
    """The rules as the rules page and the editorial pages' rules tables print them (bands as
    rows, rates as percentages): one place, so the two cannot state different figures."""
    return {
        "rules": rules,
        "fee_rows": [
            (low, high, rules.percent(rate)) for low, high, rate in band_rows(rules.buyer_fee_bands)
        ],
        "increment_rows": band_rows(rules.bid_increments),
        "deposit_percent": rules.percent(rules.deposit_share),
        "vat_percent": rules.percent(rules.fee_vat_rate),
        "default_percent": rules.percent(rules.default_fee_rate),
        "last_fee_band": rules.buyer_fee_bands[-1].up_to,
        "offer_minimum_percent": rules.percent(rules.offer_minimum_share),
        "seller_commission_percent": rules.percent(rules.seller_commission_rate),
    }
