"""The browse page (/listings/, search's page) on both backends: result cards, the offer to
relax filters when nothing matches, custom ranges and their messages, the best-value order,
the old /search/ address, and the search boxes' suggestions."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from search.query import Sort
from search.sync import rebuild_index
from search.tests.search_data import FAKE_VALUATIONS, ids_of, run

PAGE = "/listings/"


def _grid(html: str) -> str:
    """The results grid and what follows it in its section (cards hold no <section>)."""
    return html.split('<div class="grid search-results">', 1)[1].split("</section>", 1)[0]


def _cards(html: str) -> list[str]:
    return re.findall(r'<article class="listing-card".*?</article>', html, flags=re.S)


# --- result cards -----------------------------------------------------------------------------


def test_keyword_results_are_cards_with_the_highlighted_title_once(client, indexed):
    response = client.get(PAGE, {"q": "挖掘机", "sort": "newest"})
    assert response.status_code == 200
    html = response.content.decode()
    grid = _grid(html)
    cards = _cards(grid)
    assert len(cards) == 4
    # Nothing but cards in the grid: no snippet lines as grid cells of their own.
    rest = re.sub(r'<article class="listing-card".*?</article>', "", grid, flags=re.S)
    assert rest.split() == ["</div>"]
    first = cards[0]
    assert f'data-listing-id="{indexed["listings"]["L1"].pk}"' in first
    heading = re.search(r"<h3>(.*?)</h3>", first, flags=re.S).group(1)
    assert "<em>" in heading
    assert re.sub(r"</?em>", "", re.sub(r"<a [^>]*>|</a>", "", heading)) == (
        "三一SY215C挖掘机 车况好 原版漆"
    )
    # The title appears once as text in the card (the image's alt text aside).
    text = re.sub(r"<[^>]+>", "", first)
    assert text.count("三一SY215C挖掘机 车况好 原版漆") == 1


def test_a_title_is_escaped_and_only_the_marks_are_html(client, indexed):
    listing = indexed["listings"]["L6"]
    listing.title = "柳工<b>CLG856H</b> 装载机"
    listing.save(update_fields=["title"])
    rebuild_index()
    html = client.get(PAGE, {"q": "装载机"}).content.decode()
    assert "<b>CLG856H</b>" not in html
    assert "&lt;b&gt;CLG856H&lt;/b&gt;" in html


def test_distance_is_a_line_inside_the_card(client, indexed):
    html = client.get(PAGE, {"q": "三一", "near": "长沙市", "radius_km": "25"}).content.decode()
    cards = _cards(_grid(html))
    assert len(cards) == 2
    assert all('class="muted card-note">距离 0.0 公里<' in card for card in cards)


# --- no results: relax a filter ---------------------------------------------------------------


def test_no_results_offers_to_drop_each_filter_with_its_count(client, indexed):
    params = {"q": "三一", "category": "loader", "city": "长沙市"}
    response = client.get(PAGE, params)
    assert response.status_code == 200
    assert response.context["result"].total == 0
    links = [(link.label, link.value, link.count) for link in response.context["relax_links"]]
    # Most results first: SANY in Changsha (L1, L7), a loader in Changsha (L5), SANY loaders.
    assert links == [
        ("类别", "装载机", 2),
        ("关键词", "三一", 1),
        ("城市", "长沙市", 0),
        ("全部筛选条件", "", 3),  # the text kept: L1, L2, L7
    ]
    hrefs = {link.label: link.href for link in response.context["relax_links"]}
    assert hrefs["关键词"] == PAGE + "?" + urlencode({"category": "loader", "city": "长沙市"})
    assert hrefs["类别"] == PAGE + "?" + urlencode({"q": "三一", "city": "长沙市"})
    assert hrefs["全部筛选条件"] == PAGE + "?" + urlencode({"q": "三一"})
    html = response.content.decode()
    assert "去掉「关键词：三一」" in html
    assert "去掉「全部筛选条件」" in html
    assert 'class="relax-links"' in html


def test_relax_links_count_what_each_dropped_filter_gives(client, indexed):
    response = client.get(PAGE, {"brand": "xcmg", "category": "crane", "year_min": "2019"})
    # xcmg cranes: none; cranes from 2019: L7; xcmg from 2019: L4; xcmg cranes at all: none.
    assert [(link.label, link.count) for link in response.context["relax_links"]] == [
        ("类别", 1),
        ("品牌", 1),
        ("最早出厂年份", 0),
        ("全部筛选条件", 7),
    ]


def test_results_or_no_filters_offer_no_relax_links(client, indexed):
    assert client.get(PAGE, {"brand": "xcmg"}).context["relax_links"] == []
    assert client.get(PAGE, {"q": "不存在的设备"}).context["relax_links"][0].count == 7


# --- custom ranges ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year_min": "2019", "year_max": "2020"}, ["L1", "L7"]),
        ({"hours_min": "3000", "hours_max": "6000"}, ["L1", "L5", "L7"]),
        ({"price_min": "150000", "price_max": "250000"}, ["L2", "L3", "L4"]),
        ({"price_max": "99999.50"}, ["L6"]),
    ],
)
def test_custom_ranges_filter_the_page(client, indexed, params, expected):
    response = client.get(PAGE, {**params, "sort": "newest"})
    assert response.status_code == 200
    assert [listing.pk for listing in response.context["listings"]] == ids_of(indexed, *expected)
    html = response.content.decode()
    for name, value in params.items():
        assert f'name="{name}" type="number"' in html
        assert f'value="{value}"' in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"year_min": "2020", "year_max": "2010"}, "year_min", "下限不能大于上限。"),
        ({"hours_min": "9000", "hours_max": "100"}, "hours_min", "下限不能大于上限。"),
        ({"price_min": "500000", "price_max": "1"}, "price_min", "下限不能大于上限。"),
        ({"hours_max": "lots"}, "hours_max", "请输入整数。"),
        ({"price_min": "¥5万"}, "price_min", "请输入数字。"),
        ({"year_max": "1800"}, "year_max", "请输入 1950 到"),
    ],
)
def test_bad_ranges_are_form_errors_beside_their_input(client, indexed, params, field, message):
    response = client.get(PAGE, {**params, "brand": "sany"})
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(rf'<span class="errorlist" id="error-{field}">([^<]*)</span>', html)
    assert error is not None and message in error.group(1)
    assert f'aria-describedby="error-{field}"' in html
    labels = {"year_min": "最早出厂年份", "hours_min": "最少小时数", "price_min": "最低价格"}
    labels |= {"hours_max": "最多小时数", "year_max": "最晚出厂年份"}
    assert f'<li data-field="{field}">{labels[field]}：{message}' in html
    # The other filters are kept for the next try.
    assert '<input type="hidden" name="brand" value="sany">' in html


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"year_min": "2020", "year_max": "2010"}, {"year_min": ["下限不能大于上限。"]}),
        ({"hours_min": "9000", "hours_max": "100"}, {"hours_min": ["下限不能大于上限。"]}),
        (
            {"hours_min": "x", "year_max": "y"},
            {"hours_min": ["请输入整数。"], "year_max": ["请输入整数。"]},
        ),
    ],
)
def test_bad_ranges_are_400_with_field_messages_on_the_api(client, indexed, params, fields):
    response = client.get("/api/search/listings/", params)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == fields


# --- best value -------------------------------------------------------------------------------


def test_best_value_is_price_over_valuation_not_the_difference(indexed, settings):
    """L7 is 100,000 under its valuation (ratio 0.92), L6 only 60,000 under (ratio 0.6): the
    ratio puts L6 first; listings without a valuation (or without a price) come last."""
    settings.SEARCH_ENRICHERS = {
        **settings.SEARCH_ENRICHERS,
        "valuation": "search.tests.search_data.fake_valuations",
    }
    listings = indexed["listings"]
    FAKE_VALUATIONS.clear()
    FAKE_VALUATIONS.update(
        {
            listings["L7"].pk: Decimal(1300000),  # 1,200,000 / 1,300,000 = 0.92
            listings["L6"].pk: Decimal(150000),  # 90,000 / 150,000 = 0.60
            listings["L2"].pk: Decimal(250000),  # 1.00
            listings["L5"].pk: Decimal(500000),  # auction without asking price: no ratio
        }
    )
    rebuild_index()
    result = run(sort=Sort.BEST_VALUE)
    assert result.listing_ids == ids_of(indexed, "L6", "L7", "L2", "L1", "L3", "L4", "L5")


# --- one browse page --------------------------------------------------------------------------


def test_the_old_search_address_redirects_permanently_with_its_parameters(client, db):
    response = client.get("/search/", {"q": "挖机", "brand": "sany", "page": "2"})
    assert response.status_code == 301
    assert response["Location"] == PAGE + "?" + urlencode({"q": "挖机", "brand": "sany", "page": 2})
    assert client.get("/search/").headers["Location"] == PAGE


def test_the_browse_page_is_the_one_the_site_links_to(client, db):
    from core.tests.pages import ensure_home_page

    ensure_home_page()
    assert reverse("search:search") == PAGE
    html = client.get("/").content.decode()
    assert f'href="{PAGE}"' in html
    assert 'href="/search/"' not in html


# --- suggestions ------------------------------------------------------------------------------


def test_home_page_search_box_asks_for_suggestions(client, db):
    from core.tests.pages import ensure_home_page

    ensure_home_page()
    html = client.get("/").content.decode()
    box = re.search(r'<input id="home-q"[^>]*>', html).group(0)
    assert 'data-suggest-url="/api/search/suggest/"' in box
    assert 'data-suggest-list="home-suggestions"' in box
    assert '<ul id="home-suggestions" class="suggestions" role="listbox" hidden></ul>' in html
    assert "search/suggest.js" in html
    assert "<script>" not in html and "<script nonce" not in html


def test_suggestions_name_brands_models_and_categories_for_a_prefix(client, indexed):
    body = client.get("/api/search/suggest/", {"q": "x"}).json()
    assert [b["value"] for b in body["brands"]] == ["xcmg"]
    assert [m["text"] for m in body["models"]] == ["XE60DA"]
    loaders = client.get("/api/search/suggest/", {"q": "loader"}).json()
    assert [c["value"] for c in loaders["categories"]] == ["loader"]
    assert client.get("/api/search/suggest/", {"q": "x" * 500}).status_code == 200


def test_activating_a_valuation_model_rebuilds_the_best_value_ratios(
    indexed, settings, django_capture_on_commit_callbacks
):
    """The ratios are copied into the index; a new serving model changes them all, so its
    activation (settings.SEARCH_REINDEX_ON_SAVE) rebuilds the index after the commit."""
    from valuation.models import ModelVersion

    settings.SEARCH_ENRICHERS = {
        **settings.SEARCH_ENRICHERS,
        "valuation": "search.tests.search_data.fake_valuations",
    }
    listings = indexed["listings"]
    FAKE_VALUATIONS.clear()
    FAKE_VALUATIONS.update({listings["L6"].pk: Decimal(150000), listings["L2"].pk: Decimal(1)})
    fields = {"artifact_sha256": "0" * 64, "data_snapshot_hash": "1" * 64}
    fields |= {"n_train": 10, "n_calibration": 5}
    with django_capture_on_commit_callbacks(execute=True) as registered:
        ModelVersion.objects.create(version="v-registered", artifact_path="x", **fields)
    assert registered == []  # registered but not serving: nothing to rebuild
    assert run(sort=Sort.BEST_VALUE).listing_ids[:2] == ids_of(indexed, "L1", "L2")  # stale
    with django_capture_on_commit_callbacks(execute=True) as activated:
        ModelVersion.objects.create(version="v-active", artifact_path="y", is_active=True, **fields)
    assert len(activated) == 1
    assert run(sort=Sort.BEST_VALUE).listing_ids[:2] == ids_of(indexed, "L6", "L2")
