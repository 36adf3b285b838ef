"""Notify a user in-app and by e-mail. The e-mail goes out only after the commit.

Every text is written in its recipient's language (``User.preferred_language``, remembered
from the language switch): pass ``title``/``body`` as a zero-argument callable (or a lazy
string) and it is evaluated inside ``recipient_language(recipient)``, so ``gettext``, names
with an English form and ``listing.display_title`` come out in that language. Call sites
never wrap ``translation.override`` themselves.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser as User
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from core.urls_absolute import absolute_url
from notifications.models import Notification

# A notification text: a finished string, a lazy string, or a callable building it.
Text = str | Promise | Callable[[], str]


def language_of(user: User) -> str:
    """The language a user reads notifications in."""
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


@contextmanager
def recipient_language(user: User) -> Iterator[str]:
    language = language_of(user)
    with translation.override(language):
        yield language


def _evaluate(value: Text) -> str:
    return str(value()) if callable(value) else str(value)


def notification_texts(recipient: User, *values: Text) -> list[str]:
    """Each text evaluated in the recipient's language."""
    with recipient_language(recipient):
        return [_evaluate(value) for value in values]


def _send_email(notification_id: int) -> None:
    from notifications.tasks import notification_send_email

    notification_send_email.enqueue(notification_id)


def notification_send(
    *, recipient: User, kind: str, title: Text, body: Text = "", url: str = "", email: bool = True
) -> Notification:
    title, body = notification_texts(recipient, title, body)
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient, kind=kind, title=title, body=body, url=url
        )
        if email and recipient.email:
            transaction.on_commit(partial(_send_email, notification.pk))
    return notification


def notification_deliver_email(*, notification: Notification) -> bool:
    """Runs in the worker: the texts were stored in the recipient's language; the e-mail's
    own wording is built in that language too."""
    recipient = notification.recipient
    if notification.emailed or not recipient.email:
        return False
    link = absolute_url(notification.url) if notification.url else ""
    with recipient_language(recipient):
        subject = f"[Ironloop] {notification.title}"
        message = "\n\n".join(part for part in (notification.body, link) if part)
    send_mail(
        subject=subject,
        message=message,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[recipient.email],
    )
    Notification.objects.filter(pk=notification.pk).update(emailed=True)
    return True


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    queryset = Notification.objects.unread().filter(recipient=user)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read_at=timezone.now())
