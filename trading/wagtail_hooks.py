"""Staff views of trading data in the Wagtail admin (read-only: rows change through services)."""

from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from core.admin_policies import ReadOnlyModelPermissionPolicy, ReadOnlyViewSet
from trading.models import Lot, Offer, Order

for _model in (Lot, Offer, Order):
    register_permission_policy(_model, ReadOnlyModelPermissionPolicy(_model))


class LotViewSet(ReadOnlyViewSet):
    name = "trading_lots"
    url_prefix = "trading/lots"
    model = Lot
    icon = "time"
    menu_label = gettext_lazy("拍品")
    list_display = ["__str__", "status", "outcome", "current_price", "bid_count", "ends_at"]
    list_filter = ["status", "outcome"]
    search_fields = ["listing__title"]


class OfferViewSet(ReadOnlyViewSet):
    name = "trading_offers"
    url_prefix = "trading/offers"
    model = Offer
    icon = "mail"
    menu_label = gettext_lazy("议价")
    list_display = ["__str__", "buyer", "amount", "counter_amount", "status", "expires_at"]
    list_filter = ["status"]
    search_fields = ["listing__title", "buyer__name"]


class OrderViewSet(ReadOnlyViewSet):
    name = "trading_orders"
    url_prefix = "trading/orders"
    model = Order
    icon = "form"
    menu_label = gettext_lazy("订单")
    list_display = [
        "bank_reference",
        "listing",
        "buyer",
        "channel",
        "amount_due",
        "status",
        "payment_deadline",
    ]
    list_filter = ["status", "channel", "payment_rail"]
    search_fields = ["bank_reference", "listing__title", "buyer__name"]


class TradingViewSetGroup(ModelViewSetGroup):
    items = (LotViewSet, OfferViewSet, OrderViewSet)
    menu_icon = "resubmit"
    menu_label = gettext_lazy("交易")
    menu_order = 220


@hooks.register("register_admin_viewset")
def register_trading_viewsets():
    return TradingViewSetGroup()
