from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core import views as core_views

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("config.api_urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("core.urls")),
    path("dashboard/", include("accounts.dashboard_urls")),
    path("", include("marketplace.urls")),
    path("", include("search.urls")),
    path("notifications/", include("notifications.urls")),
    path("valuation/", include("valuation.urls")),
    path("leasing/", include("leasing.urls")),
    path("certification/", include("certification.urls")),
    path("recycling/", include("recycling.urls")),
    path("verify/", include("certification.verify_urls")),
    path("trading/", include("trading.urls")),
    path("payments/", include("payments.urls")),
    path("procurement/", include("procurement.urls")),
]
if settings.SERVE_MEDIA:
    # Embedded default: Django serves uploads. Production puts a web server or object
    # storage in front (SERVE_MEDIA=false).
    urlpatterns += [
        # Public uploads only: private files are served by permission-checked views.
        re_path(r"^media/(?P<path>.*)$", core_views.public_media),
    ]
urlpatterns += [path("", include(wagtail_urls))]

# Styled pages in the visitor's language; JSON in the API's error format under /api/.
handler400 = "core.error_views.bad_request"
handler403 = "core.error_views.permission_denied"
handler404 = "core.error_views.page_not_found"
handler500 = "core.error_views.server_error"
