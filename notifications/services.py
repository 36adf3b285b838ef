"""Notify a user in-app and by e-mail. The e-mail goes out only after the commit."""

from functools import partial

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser as User
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from core.urls_absolute import absolute_url
from notifications.models import Notification


def _send_email(notification_id: int) -> None:
    from notifications.tasks import notification_send_email

    notification_send_email.enqueue(notification_id)


def notification_send(
    *, recipient: User, kind: str, title: str, body: str = "", url: str = "", email: bool = True
) -> Notification:
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient, kind=kind, title=title, body=body, url=url
        )
        if email and recipient.email:
            transaction.on_commit(partial(_send_email, notification.pk))
    return notification


def notification_deliver_email(*, notification: Notification) -> bool:
    if notification.emailed or not notification.recipient.email:
        return False
    link = absolute_url(notification.url) if notification.url else ""  # sent by the worker
    send_mail(
        subject=f"[Ironloop] {notification.title}",
        message="\n\n".join(part for part in (notification.body, link) if part),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[notification.recipient.email],
    )
    Notification.objects.filter(pk=notification.pk).update(emailed=True)
    return True


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    queryset = Notification.objects.unread().filter(recipient=user)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read_at=timezone.now())
