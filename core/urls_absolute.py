"""Absolute URLs (QR codes, share links, PDF verification URLs, e-mail links) built from the
address the site is actually served at.

With a request: the request's own scheme, host and port (``request.build_absolute_uri``, which
honours ALLOWED_HOSTS and, behind a proxy, SECURE_PROXY_SSL_HEADER). Without one (tasks and
e-mails sent from the worker): ``settings.SITE_URL``, which scripts/serve_demo.sh sets from the
host and port it serves on.
"""

from django.conf import settings
from django.http import HttpRequest


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """``path`` (a site path such as ``/verify/RC-1/ABC/``) as an absolute URL; an already
    absolute URL is returned unchanged."""
    if path.startswith(("http://", "https://")):
        return path
    if not path.startswith("/"):
        path = "/" + path
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path
