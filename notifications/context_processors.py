from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from notifications.models import Notification


def _unread_count(request: HttpRequest) -> int:
    return Notification.objects.unread().filter(recipient=request.user).count()


def unread(request: HttpRequest) -> dict:
    """``unread_notifications`` for the header, for signed-in users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: the count query runs only on pages whose template shows it.
    return {"unread_notifications": SimpleLazyObject(lambda: _unread_count(request))}
