"""Chinese by default; English through the language switch (cookie set by set_language)."""

import pytest
from django.conf import settings
from django.urls import reverse

from core.tests.pages import ensure_home_page
from marketplace.tests.factories import (
    ListingFactory,
    MachineFactory,
    PublishedListingFactory,
    with_photo_set,
)

pytestmark = pytest.mark.django_db

# Interface strings (not data) that must never show once English is chosen.
CHINESE_CHROME = ["找设备", "我的挂牌", "设备估值", "筛选", "设备参数", "小时表记录", "发布设备"]


@pytest.fixture
def english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/listings/"})
    assert response.status_code == 302
    assert response["Location"] == "/listings/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    return client


def assert_english(html: str, *expected: str) -> None:
    assert '<html lang="en">' in html
    for text in expected:
        assert text in html, text
    for text in CHINESE_CHROME:
        assert text not in html, text


def test_chinese_is_the_default(client):
    html = client.get("/listings/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "找设备" in html


def test_home_page_in_english(english):
    ensure_home_page()
    html = english.get("/").content.decode()
    assert_english(
        html,
        "The Changsha–Zhuzhou–Xiangtan construction machinery aftermarket, all in one place",
        "Featured equipment",
        "I am a dealer",
    )


def test_listing_pages_in_english(english, dealer_org):
    from search.sync import rebuild_index

    listing = PublishedListingFactory(machine=MachineFactory(owner=dealer_org))
    rebuild_index()  # the browse page lists what the search index holds
    html = english.get("/listings/").content.decode()
    assert_english(
        html, "Find equipment", "Custom ranges", "Sale format", "1 machine", "Fixed price"
    )
    html = english.get(f"/listings/{listing.pk}/").content.decode()
    assert_english(
        html,
        "Specifications",
        "Hour-meter history",
        "Maintenance records",
        "For sale",
        "China III",
        "Excavators",  # category name_en
        "SANY",  # brand name_en
    )


def test_dealer_pages_in_english(english, dealer, dealer_org):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org))
    english.force_login(dealer)
    assert_english(
        english.get(reverse("marketplace:dealer_listings")).content.decode(),
        "My listings",
        "Draft",
        "Submit for review",
    )
    assert_english(
        english.get(reverse("marketplace:listing_create")).content.decode(),
        "Serial number / PIN",
        "Year of manufacture",
        "Create draft listing",
    )
    assert_english(
        english.get(reverse("marketplace:listing_manage", args=[listing.pk])).content.decode(),
        "Status history",
        "Manage photos",
    )
    response = english.post(reverse("marketplace:listing_create"), {"title": ""})
    assert "This field is required." in response.content.decode()


def test_service_refusals_are_translated(english, dealer, dealer_org):
    machine = MachineFactory(owner=dealer_org)
    PublishedListingFactory(machine=machine)
    draft = with_photo_set(ListingFactory(machine=machine))  # the photo check comes first
    english.force_login(dealer)
    response = english.post(
        reverse("marketplace:listing_action", args=[draft.pk, "submit"]), follow=True
    )
    assert "This machine already has a listing that is for sale or awaiting review." in (
        response.content.decode()
    )
