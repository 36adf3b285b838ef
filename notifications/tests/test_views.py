"""The in-app notification list."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notification_send

pytestmark = pytest.mark.django_db


def test_list_shows_only_own_notifications(client, dealer, buyer):
    notification_send(recipient=dealer, kind="test", title="给经销商", body="正文", url="/x/")
    notification_send(recipient=buyer, kind="test", title="给买家")
    client.force_login(dealer)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "给经销商" in html
    assert '<a href="/x/">' in html
    assert "给买家" not in html


def test_mark_all_read_only_touches_own(client, dealer, buyer):
    notification_send(recipient=dealer, kind="test", title="a")
    notification_send(recipient=buyer, kind="test", title="b")
    client.force_login(dealer)
    assert client.get(reverse("notifications:mark_read")).status_code == 405
    response = client.post(reverse("notifications:mark_read"))
    assert response.status_code == 302
    assert Notification.objects.get(recipient=dealer).read_at is not None
    assert Notification.objects.get(recipient=buyer).read_at is None


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_email_goes_out_after_commit(dealer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=dealer, kind="test", title="新消息", body="内容", url="/y/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Ironloop] 新消息"
    assert Notification.objects.get().emailed is True


def test_english_reader_sees_an_english_page_and_english_messages(client, dealer):
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext as _

    dealer.preferred_language = "en"
    dealer.save(update_fields=["preferred_language"])
    with translation.override("zh-hans"):  # caused by a Chinese-speaking user's action
        notification_send(recipient=dealer, kind="test", title=lambda: _("保证金已退还"), url="/x/")
    client.force_login(dealer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("notifications:list")).content.decode()
    assert "<h1>Notifications</h1>" in html
    assert "<strong data-untranslated>Deposit refunded</strong>" in html
    assert '<a href="/x/">View</a>' in html
