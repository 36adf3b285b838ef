"""Remember the language a signed-in person reads the site in (issue #14).

``User.preferred_language`` is the language their notifications and e-mails are written in
(notifications.services). After the view, when the request's user was already loaded and
their active language (``request.LANGUAGE_CODE``, set by LocaleMiddleware from the language
switch's cookie or the browser) differs, it is stored with one UPDATE; an unchanged language
or a user the view never loaded costs no query. A request that expressed no language at all
(no cookie, no Accept-Language: scripts, API clients) falls back to the default and is not
taken as a choice.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from accounts.models import User


def active_language(request: HttpRequest) -> str | None:
    """The language this request chose, or None when it fell back to the default."""
    if (
        settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        and "HTTP_ACCEPT_LANGUAGE" not in request.META
    ):
        return None
    return getattr(request, "LANGUAGE_CODE", None)


def remember_language(request: HttpRequest) -> None:
    lazy_user = request.__dict__.get("user")
    if lazy_user is None or getattr(lazy_user, "_wrapped", None) is empty:
        return  # never loaded by the view: loading it here would cost a query
    user = getattr(lazy_user, "_wrapped", lazy_user)
    if not getattr(user, "is_authenticated", False) or not isinstance(user, User):
        return
    language = active_language(request)
    if not language or language == user.preferred_language:
        return
    User.objects.filter(pk=user.pk).update(preferred_language=language)
    user.preferred_language = language


class RememberLanguageMiddleware:
    """After LocaleMiddleware and AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        remember_language(request)
        return response
