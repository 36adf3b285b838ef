"""Trading's part of the dashboard and role menu (see core.dashboard): what a buyer has
going (orders, offers, bids, watchlist) and what a seller must answer or collect."""

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.memberships import organizations_holding
from accounts.models import User
from accounts.permissions import Permission
from core.dashboard import DashboardItem, DashboardSection, MenuEntry
from trading.models import (
    BidderMaximum,
    LotStatus,
    Offer,
    OfferStatus,
    Order,
    OrderStatus,
    SellerPayout,
    WatchedListing,
)

LIVE_OFFERS = [OfferStatus.OPEN, OfferStatus.COUNTERED]


def buying_counts(buyers, user: User) -> dict[str, int]:
    """Four queries: orders, offers (two counts in one), open lots bid on, watchlist."""
    offers = Offer.objects.filter(buyer__in=buyers).aggregate(
        live=Count("id", filter=Q(status__in=LIVE_OFFERS)),
        countered=Count("id", filter=Q(status=OfferStatus.COUNTERED)),
    )
    return {
        "orders_to_pay": Order.objects.filter(
            buyer__in=buyers, status=OrderStatus.AWAITING_PAYMENT
        ).count(),
        "offers_live": offers["live"],
        "offers_countered": offers["countered"],
        "bids_open": BidderMaximum.objects.filter(
            bidder__in=buyers, lot__status=LotStatus.OPEN
        ).count(),
        "watchlist": WatchedListing.objects.filter(user=user).count(),
    }


def selling_counts(sellers) -> dict[str, int]:
    """Three queries: offers to answer, orders (two counts in one), payouts."""
    orders = Order.objects.filter(seller__in=sellers).aggregate(
        awaiting=Count("id", filter=Q(status=OrderStatus.AWAITING_PAYMENT)),
        to_collect=Count(
            "id",
            filter=Q(status=OrderStatus.PAID, collected_at__isnull=True, abandoned_at__isnull=True),
        ),
    )
    return {
        "offers_to_answer": Offer.objects.filter(
            listing__seller__in=sellers, status=OfferStatus.OPEN
        ).count(),
        "orders_awaiting_payment": orders["awaiting"],
        "orders_to_collect": orders["to_collect"],
        "payouts": SellerPayout.objects.filter(seller__in=sellers).count(),
    }


def sections(request: HttpRequest, user: User) -> list[DashboardSection]:
    result = []
    buyers = organizations_holding(request, Permission.TRADE_BUY)
    if buyers:
        counts = buying_counts(buyers, user)
        offers_url = reverse("trading:offer_list") + "?side=buying"
        result.append(
            DashboardSection(
                title=_("我的采购"),
                key="trading.buying",
                items=[
                    DashboardItem(
                        _("待付款订单"),
                        counts["orders_to_pay"],
                        reverse("trading:order_list") + "?side=buying",
                        "orders.to_pay",
                    ),
                    DashboardItem(_("进行中的议价"), counts["offers_live"], offers_url, "offers"),
                    DashboardItem(
                        _("卖家还价待您答复"),
                        counts["offers_countered"],
                        offers_url,
                        "offers.countered",
                    ),
                    DashboardItem(
                        _("竞拍中的拍品"), counts["bids_open"], reverse("trading:my_bids"), "bids"
                    ),
                    DashboardItem(
                        _("关注的设备"),
                        counts["watchlist"],
                        reverse("trading:watchlist"),
                        "watchlist",
                    ),
                ],
            )
        )
    sellers = organizations_holding(request, Permission.TRADE_SELL)
    if sellers:
        counts = selling_counts(sellers)
        orders_url = reverse("trading:order_list") + "?side=selling"
        result.append(
            DashboardSection(
                title=_("我的销售"),
                key="trading.selling",
                items=[
                    DashboardItem(
                        _("待答复的议价"),
                        counts["offers_to_answer"],
                        reverse("trading:offer_list") + "?side=selling",
                        "offers.to_answer",
                    ),
                    DashboardItem(
                        _("待买家付款"),
                        counts["orders_awaiting_payment"],
                        orders_url,
                        "orders.awaiting_payment",
                    ),
                    DashboardItem(
                        _("已付款待提货"),
                        counts["orders_to_collect"],
                        orders_url,
                        "orders.to_collect",
                    ),
                    DashboardItem(
                        _("卖家结算"), counts["payouts"], reverse("trading:payout_list"), "payouts"
                    ),
                ],
            )
        )
    return result


def menu(request: HttpRequest, user: User) -> list[MenuEntry]:
    entries = []
    if organizations_holding(request, Permission.TRADE_BUY):
        entries += [
            MenuEntry(
                "buying",
                _("我的订单"),
                reverse("trading:order_list") + "?side=buying",
                "orders",
                10,
            ),
            MenuEntry(
                "buying",
                _("我的议价"),
                reverse("trading:offer_list") + "?side=buying",
                "offers",
                11,
            ),
            MenuEntry("buying", _("我的竞拍"), reverse("trading:my_bids"), "bids", 12),
            MenuEntry("buying", _("关注列表"), reverse("trading:watchlist"), "watchlist", 13),
        ]
    if organizations_holding(request, Permission.TRADE_SELL):
        entries += [
            MenuEntry(
                "selling",
                _("待答复的议价"),
                reverse("trading:offer_list") + "?side=selling",
                "offers.to_answer",
                20,
            ),
            MenuEntry(
                "selling",
                _("销售订单"),
                reverse("trading:order_list") + "?side=selling",
                "orders.selling",
                21,
            ),
            MenuEntry("selling", _("卖家结算"), reverse("trading:payout_list"), "payouts", 22),
        ]
    return entries
