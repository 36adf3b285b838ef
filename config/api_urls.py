from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from accounts.api import token_obtain

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("auth/token/", token_obtain, name="api-token"),
    path("", include("marketplace.api_urls")),
    path("search/", include("marketplace.search.api_urls")),
    path("valuation/", include("valuation.api_urls")),
    path("leasing/", include("leasing.api_urls")),
    path("certification/", include("certification.api_urls")),
    path("recycling/", include("recycling.api_urls")),
    path("trading/", include("trading.api_urls")),
    path("payments/", include("payments.api_urls")),
]
