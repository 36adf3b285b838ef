"""Error codes the trading services raise (``DomainError.code``): one enum for the app, so
API clients, templates and tests match on names that cannot drift."""

from enum import StrEnum


class TradingErrorCode(StrEnum):
    # auctions and bids
    BELOW_INCREMENT = "below_increment"
    CARD_HOLD_TOO_SHORT = "card_hold_too_short"
    CARD_UNAVAILABLE = "card_unavailable"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_LOT = "invalid_lot"
    INVALID_METHOD = "invalid_method"
    LIMIT_TOO_LOW = "limit_too_low"
    LISTING_NOT_AUCTIONABLE = "listing_not_auctionable"
    LOT_CLOSED = "lot_closed"
    LOT_EXISTS = "lot_exists"
    LOT_NOT_STARTED = "lot_not_started"
    MAXIMUM_NOT_RAISED = "maximum_not_raised"
    NOT_QUALIFIED = "not_qualified"
    OVER_LIMIT = "over_limit"
    QUALIFICATION_EXISTS = "qualification_exists"
    # orders
    ALREADY_CLOSED = "already_closed"
    BUY_NOW_UNAVAILABLE = "buy_now_unavailable"
    CARD_LIMIT_EXCEEDED = "card_limit_exceeded"
    INVALID_TRANSITION = "invalid_transition"
    LISTING_NOT_AVAILABLE = "listing_not_available"
    NOT_PAID = "not_paid"
    ORDER_EXISTS = "order_exists"
    ORDER_NOT_PAYABLE = "order_not_payable"
    # offers
    COUNTER_ABOVE_PRICE = "counter_above_price"
    COUNTER_TOO_LOW = "counter_too_low"
    OFFER_CLOSED = "offer_closed"
    OFFER_EXISTS = "offer_exists"
    OFFER_EXPIRED = "offer_expired"
    OFFER_NOT_BELOW_PRICE = "offer_not_below_price"
    OFFER_TOO_LOW = "offer_too_low"
    OFFERS_NOT_ACCEPTED = "offers_not_accepted"
    # buyers and the watchlist
    BUYER_NOT_VERIFIED = "buyer_not_verified"
    LISTING_NOT_WATCHABLE = "listing_not_watchable"
    NO_BUYER_ORGANIZATION = "no_buyer_organization"
    OWN_LISTING = "own_listing"
