"""REST routes of the marketplace, mounted under /api/."""

from rest_framework.routers import SimpleRouter

from marketplace.api import ListingViewSet

router = SimpleRouter(use_regex_path=False)  # path converters: <int:pk>
router.register("listings", ListingViewSet, basename="api-listing")

urlpatterns = router.urls
