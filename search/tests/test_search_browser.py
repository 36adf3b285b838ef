"""The search page in a real browser (Chromium through Playwright), in Chinese and English."""

import pytest
from django.urls import include, path

from search.sync import rebuild_index

urlpatterns = [
    path("api/search/", include("search.api_urls")),
    path("", include("config.urls")),
]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.urls(__name__),
    pytest.mark.django_db(transaction=True),
]


def test_search_facets_and_suggestions_in_chinese(live_server, new_page, catalogue):
    rebuild_index()
    page = new_page()
    page.goto(f"{live_server.url}/listings/?q=挖掘机")
    assert page.locator("article.listing-card").count() == 4
    assert "共 4 台设备" in page.locator("#result-count").inner_text()
    page.fill("#search-q", "")
    page.type("#search-q", "小松")
    page.wait_for_selector("#search-suggestions li")
    assert "小松" in page.locator("#search-suggestions").inner_text()
    page.click("section[data-facet=brand] a:has-text('三一')")
    page.wait_for_load_state()
    assert "brand=sany" in page.url and "q=" in page.url
    assert page.locator("article.listing-card").count() == 2
    page.select_option("select[name=near]", "长沙市")
    page.select_option("select[name=radius_km]", "25")
    page.click("#search-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("article.listing-card").count() == 1
    assert "0.0" in page.locator(".search-card-meta").first.inner_text()


def test_search_page_in_english(live_server, new_page, catalogue):
    rebuild_index()
    page = new_page(locale="en-US")
    page.goto(f"{live_server.url}/listings/?year_min=abc")
    assert "Enter a whole number." in page.locator(".errors").inner_text()
    page.goto(f"{live_server.url}/listings/?q=excavator&sort=price_asc")
    assert page.locator("h1").inner_text() == "Search equipment"
    assert page.locator("article.listing-card").count() == 4
    assert "Price: low to high" in page.locator("nav.sorts a.active").inner_text()
    assert "Komatsu" in page.locator("section[data-facet=brand]").inner_text()
