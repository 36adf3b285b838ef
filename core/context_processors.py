from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def _unread_count(request: HttpRequest) -> int:
    from notifications.models import Notification

    return Notification.objects.unread().filter(recipient=request.user).count()


def site(request: HttpRequest) -> dict:
    context = {"SITE_NAME": settings.WAGTAIL_SITE_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # Lazy: the count query runs only on pages whose template shows it.
        context["unread_notifications"] = SimpleLazyObject(lambda: _unread_count(request))
    return context
