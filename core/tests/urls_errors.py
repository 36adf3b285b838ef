"""The project's URLs plus two views that fail, to render the 500 handlers."""

from django.urls import path

from config import urls as project_urls


def _boom(request):
    raise RuntimeError("a failing view")


urlpatterns = [
    path("boom/", _boom),
    path("api/boom/", _boom),
    *project_urls.urlpatterns,
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
