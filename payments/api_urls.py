"""REST routes of the payments app, mounted under /api/payments/."""

from django.urls import path

from payments import api

urlpatterns = [
    path("bank-transfers/confirm/", api.bank_transfer_confirm, name="payments-bank-confirm"),
]
