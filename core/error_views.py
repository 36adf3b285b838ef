"""The project's error pages (handler400/403/404/500 and the CSRF failure view).

Pages under /api/ answer in the API's error format (core.api.error_body); every other path gets
a styled page in the visitor's language. The 500 page is rendered without a request context
(no database, no session, no context processors), since whatever failed may fail again.
"""

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from core.api import error_body

logger = logging.getLogger(__name__)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _page(request, template: str, status: int, context: dict | None = None) -> HttpResponse:
    html = loader.render_to_string(template, context or {}, request=request)
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(error_body("bad_request", _("请求无效。")), status=400)
    return _page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(error_body("permission_denied", _("无权执行此操作。")), status=403)
    return _page(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(error_body("not_found", _("未找到。")), status=404)
    return _page(request, "404.html", 404, {"request_path": request.path})


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            error_body("server_error", _("服务器内部错误，请稍后再试。")), status=500
        )
    try:
        html = loader.render_to_string("500.html")
    except Exception:  # the page of last resort must not fail itself
        logger.exception("500.html could not be rendered")
        html = "<!DOCTYPE html><title>500</title><h1>500 Server Error</h1>"
    return HttpResponse(html, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the form was stale or cookies are off; say so and how to retry."""
    if _is_api(request):
        message = _("CSRF 校验失败：请刷新页面后重试，或使用令牌认证。")
        return JsonResponse(error_body("csrf_failed", message), status=403)
    return _page(request, "403_csrf.html", 403)
