"""REST routes of the leasing app, mounted under /api/leasing/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from leasing.api import ApplicationViewSet, ListingQuotesView, ProductListView, QuotePreviewView

router = SimpleRouter(use_regex_path=False)  # path converters: <int:pk>
router.register("applications", ApplicationViewSet, basename="api-lease-application")

urlpatterns = [
    path("quote-preview/", QuotePreviewView.as_view(), name="api-lease-quote-preview"),
    path("products/", ProductListView.as_view(), name="api-lease-products"),
    path(
        "listings/<int:listing_id>/quotes/",
        ListingQuotesView.as_view(),
        name="api-lease-listing-quotes",
    ),
    *router.urls,
]
