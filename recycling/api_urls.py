"""REST routes of the recycling app, mounted under /api/recycling/."""

from django.urls import path

from recycling import api

urlpatterns = [
    path("requests/", api.DisposalRequestListView.as_view(), name="recycling-api-requests"),
    path(
        "requests/new/",
        api.DisposalRequestCreateView.as_view(),
        name="recycling-api-request-create",
    ),
    path("requests/<int:pk>/quotes/", api.QuoteSubmitView.as_view(), name="recycling-api-quote"),
    path(
        "requests/<int:pk>/complete/",
        api.DisposalCompleteView.as_view(),
        name="recycling-api-complete",
    ),
    path(
        "quotes/<int:pk>/accept/", api.QuoteAcceptView.as_view(), name="recycling-api-quote-accept"
    ),
]
