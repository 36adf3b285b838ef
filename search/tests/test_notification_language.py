"""A saved-search alert is written in the searcher's language (issue #14)."""

import pytest
from django.utils import translation

from marketplace.tests.factories import PublishedListingFactory
from notifications.models import Notification
from search.services import _alert, saved_search_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "title", "body"),
    [
        ("en", "New equipment matches your saved search “三一”", "2019 SANY SY215C Excavator"),
        ("zh-hans", "新设备符合您保存的搜索“三一”", "三一 SY215C 挖掘机"),
    ],
)
def test_alert_in_the_searchers_language(buyer, language, title, body):
    buyer.preferred_language = language
    buyer.save(update_fields=["preferred_language"])
    saved_search = saved_search_create(user=buyer, name="三一", params={"brand": "sany"})
    listing = PublishedListingFactory()
    other = "zh-hans" if language == "en" else "en"
    with translation.override(other):
        assert _alert(saved_search, listing) is True
    notification = Notification.objects.get(recipient=buyer, kind="saved_search")
    assert (notification.title, notification.body) == (title, body)
