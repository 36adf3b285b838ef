"""REST routes of the valuation app, mounted under /api/valuation/."""

from django.urls import path

from valuation import api

urlpatterns = [
    path("estimate/", api.EstimateView.as_view(), name="api-valuation-estimate"),
    path(
        "listings/<int:listing_id>/",
        api.ListingValuationView.as_view(),
        name="api-valuation-listing",
    ),
    path("models/", api.ModelVersionListView.as_view(), name="api-valuation-models"),
]
