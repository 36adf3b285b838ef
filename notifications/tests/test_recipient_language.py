"""Every notification is written in its recipient's language, not the request's (issue #14)."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.tests.factories import PublishedListingFactory
from notifications.models import Notification
from notifications.services import notification_send, notification_texts

pytestmark = pytest.mark.django_db


def _title():
    return _("保证金已退还")


def test_english_recipient_of_a_chinese_request_reads_english(
    buyer, django_capture_on_commit_callbacks
):
    buyer.preferred_language = "en"
    listing = PublishedListingFactory()
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        notification_send(
            recipient=buyer,
            kind="test",
            title=_title,
            body=lambda: listing.display_title,
            url="/x/",
        )
        assert translation.get_language() == "zh-hans"  # the request's language is untouched
    notification = Notification.objects.get(recipient=buyer)
    assert notification.title == "Deposit refunded"
    assert notification.body == "2019 SANY SY215C Excavator"
    assert mail.outbox[0].subject == "[Ironloop] Deposit refunded"
    assert mail.outbox[0].body.startswith("2019 SANY SY215C Excavator\n\nhttp")


def test_chinese_recipient_of_an_english_request_reads_chinese(
    dealer, django_capture_on_commit_callbacks
):
    assert dealer.preferred_language == "zh-hans"
    listing = PublishedListingFactory()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notification_send(
            recipient=dealer, kind="test", title=_title, body=lambda: listing.display_title
        )
    notification = Notification.objects.get(recipient=dealer)
    assert notification.title == "保证金已退还"
    assert notification.body == "三一 SY215C 挖掘机"
    assert mail.outbox[0].subject == "[Ironloop] 保证金已退还"


def test_blank_language_falls_back_to_the_site_default(dealer):
    dealer.preferred_language = ""
    with translation.override("en"):
        assert notification_texts(dealer, _title, gettext_lazy("保证金已退还"), "原文") == [
            "保证金已退还",
            "保证金已退还",
            "原文",
        ]
