"""Test urlconf: the project's urls plus the public verification include, so tests pass both
before and after the lead adds ``path("verify/", include("certification.verify_urls"))``."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

_has_verify = any(getattr(p, "namespace", None) == "verify" for p in project_urlpatterns)
urlpatterns = (
    [] if _has_verify else [path("verify/", include("certification.verify_urls"))]
) + list(project_urlpatterns)
