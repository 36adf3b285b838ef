"""REST routes of the trading app, mounted under /api/trading/."""

from django.urls import path

from trading import api

urlpatterns = [
    path("lots/<int:pk>/", api.lot_detail, name="trading-lot"),
    path("lots/<int:pk>/bids/", api.lot_bid, name="trading-lot-bid"),
    path("listings/<int:pk>/buy-now/", api.listing_buy_now, name="trading-buy-now"),
    path("listings/<int:pk>/offers/", api.listing_offer, name="trading-offer"),
    path("offers/<int:pk>/withdraw/", api.offer_withdraw, name="trading-offer-withdraw"),
    path("orders/<int:pk>/", api.order_detail, name="trading-order"),
]
