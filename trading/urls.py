"""HTML routes of the trading app."""

from django.urls import path

from trading import views

app_name = "trading"
urlpatterns = [
    path("rules/", views.rules_page, name="rules"),
    path("listings/<int:pk>/buy/", views.buy_now, name="buy_now"),
    path("listings/<int:pk>/offer/", views.offer_make, name="offer_make"),
    path("listings/<int:pk>/auction/new/", views.lot_create, name="lot_create"),
    path("offers/", views.offer_list, name="offer_list"),
    path("offers/<int:pk>/<slug:action>/", views.offer_action, name="offer_action"),
    path("lots/<int:pk>/", views.lot_detail, name="lot_detail"),
    path("lots/<int:pk>/status.json", views.lot_status_json, name="lot_status"),
    path("lots/<int:pk>/bid/", views.lot_bid, name="lot_bid"),
    path("lots/<int:pk>/qualify/", views.lot_qualify, name="lot_qualify"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("orders/<int:pk>/pay/", views.order_pay, name="order_pay"),
    path(
        "orders/<int:pk>/payment-notice.pdf",
        views.order_payment_notice_pdf,
        name="order_payment_notice_pdf",
    ),
    path("orders/<int:pk>/collected/", views.order_collected, name="order_collected"),
    path("payouts/", views.payout_list, name="payout_list"),
    path("watchlist/", views.watchlist, name="watchlist"),
    path("listings/<int:pk>/watch/<slug:action>/", views.watch_toggle, name="watch_toggle"),
    path("bids/", views.my_bids, name="my_bids"),
]
