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
    assert "0.0" in page.locator("article.listing-card .card-note").first.inner_text()


def test_search_page_in_english(live_server, new_page, catalogue):
    rebuild_index()
    page = new_page(locale="en-US")
    page.goto(f"{live_server.url}/listings/?year_min=abc")
    assert "Enter a whole number." in page.locator(".errors").inner_text()
    page.goto(f"{live_server.url}/listings/?q=excavator&sort=price_asc")
    assert page.locator("h1").inner_text() == "Find equipment"
    assert page.locator("article.listing-card").count() == 4
    assert "Price: low to high" in page.locator("nav.sorts a.active").inner_text()
    assert "Komatsu" in page.locator("section[data-facet=brand]").inner_text()


def test_home_box_suggests_and_an_empty_result_offers_to_relax(live_server, new_page, catalogue):
    from core.tests.pages import ensure_home_page

    ensure_home_page()
    rebuild_index()
    page = new_page()
    page.goto(f"{live_server.url}/")
    page.type("#home-q", "小")
    page.wait_for_selector("#home-suggestions li")
    option = page.locator("#home-suggestions li", has_text="小松").first
    option.dispatch_event("mousedown")
    page.wait_for_url("**/listings/?q=*")
    assert page.locator("article.listing-card").count() == 1
    # Nothing matches; one click drops the filter that was in the way.
    page.goto(f"{live_server.url}/listings/?q=挖机&city=岳阳市&hours_max=20000")
    assert page.locator("article.listing-card").count() == 0
    page.locator(".relax-links a", has_text="城市").click()
    page.wait_for_load_state()
    assert "city=" not in page.url and "hours_max=20000" in page.url
    assert page.locator("article.listing-card").count() == 4
    assert page.locator("article.listing-card h3 em").count() == 2  # L1, L2 say 挖掘机
    # A range the wrong way round is a message beside its input, not an error page.
    page.fill("input[name=year_min]", "2022")
    page.fill("input[name=year_max]", "2012")
    page.click("#search-form button[type=submit]")
    page.wait_for_load_state()
    assert "下限不能大于上限。" in page.locator("#error-year_min").inner_text()
