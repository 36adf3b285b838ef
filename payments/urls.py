"""HTML routes of the payments app."""

from django.urls import path

from payments import views

app_name = "payments"
urlpatterns = [
    path("webhooks/stripe/", views.stripe_webhook, name="stripe_webhook"),
    path("staff/bank-transfers/", views.bank_transfers, name="bank_transfers"),
    path("staff/bank-refunds/", views.bank_refunds, name="bank_refunds"),
]
