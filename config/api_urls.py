from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from accounts.api import token_obtain
from core.api import NotFoundView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("auth/token/", token_obtain, name="api-token"),
    path("", include("marketplace.api_urls")),
    path("search/", include("search.api_urls")),
    path("valuation/", include("valuation.api_urls")),
    path("leasing/", include("leasing.api_urls")),
    path("certification/", include("certification.api_urls")),
    path("recycling/", include("recycling.api_urls")),
    path("trading/", include("trading.api_urls")),
    path("payments/", include("payments.api_urls")),
    path("procurement/", include("procurement.api_urls")),
    # Last: an unknown path or a non-integer id under /api/ is a JSON 404, not an HTML page.
    # Only paths ending in "/", so APPEND_SLASH still redirects /api/listings to /api/listings/.
    re_path(r"^(?:.*/)?$", NotFoundView.as_view(), name="api-not-found"),
]
