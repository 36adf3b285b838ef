"""Models of the trading app: offers, timed auctions (sales, lots, bids, proxy maxima),
bidder qualification with deposits, orders and their events.

Every state machine has a ``*Status`` choice and a transitions table in the services; each
transition writes an event row in the same transaction.
"""

from trading.models.auctions import (
    Bid,
    BidderMaximum,
    BidderQualification,
    DepositMethod,
    Lot,
    LotEvent,
    LotEventKind,
    LotOutcome,
    LotStatus,
    QualificationEvent,
    QualificationEventKind,
    QualificationStatus,
    Sale,
)
from trading.models.offers import (
    Offer,
    OfferEvent,
    OfferEventKind,
    OfferStatus,
)
from trading.models.orders import (
    ACTIVE_ORDER_STATUSES,
    Order,
    OrderChannel,
    OrderEvent,
    OrderEventKind,
    OrderStatus,
    PaymentRail,
    SellerPayout,
    WatchedListing,
)

__all__ = [
    "ACTIVE_ORDER_STATUSES",
    "Bid",
    "BidderMaximum",
    "BidderQualification",
    "DepositMethod",
    "Lot",
    "LotEvent",
    "LotEventKind",
    "LotOutcome",
    "LotStatus",
    "Offer",
    "OfferEvent",
    "OfferEventKind",
    "OfferStatus",
    "Order",
    "OrderChannel",
    "OrderEvent",
    "OrderEventKind",
    "OrderStatus",
    "PaymentRail",
    "QualificationEvent",
    "QualificationEventKind",
    "QualificationStatus",
    "Sale",
    "SellerPayout",
    "WatchedListing",
]
