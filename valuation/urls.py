"""HTML routes of the valuation app."""

from django.urls import path

from valuation import views

app_name = "valuation"
urlpatterns = [
    path("value/", views.value_my_machine, name="value_my_machine"),
    path("backtest/", views.backtest, name="backtest"),
    path("models/", views.model_list, name="model_list"),
    path("models/<str:version>/", views.model_card, name="model_card"),
]
