"""Search API and search page: results, facets, suggestions, saved searches, bad parameters.

Until the lead mounts ``search.api_urls`` under /api/search/, this module is its own
urlconf (the project's routes plus that include).
"""

import pytest
from django.urls import include, path
from django.utils.http import urlencode

from search.models import SavedSearch
from search.tests.search_data import ids_of

urlpatterns = [
    path("api/search/", include("search.api_urls")),
    path("", include("config.urls")),
]
pytestmark = pytest.mark.urls(__name__)


def test_api_returns_hits_facets_and_total(client, indexed):
    response = client.get("/api/search/listings/", {"q": "三一 挖掘机", "sort": "newest"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2
    assert [hit["id"] for hit in body["hits"]] == ids_of(indexed, "L1", "L2")
    first = body["hits"][0]
    assert first["listing"]["title"] == "三一SY215C挖掘机 车况好 原版漆"
    assert first["listing"]["asking_price"] == "380000.00"
    assert "<em>" in first["highlights"]["title"][0]
    assert body["facets"]["brand"] == [{"value": "sany", "label": "三一", "count": 2, "depth": 0}]
    assert body["facets"]["city"] == [
        {"value": "湘潭市", "label": "湘潭市", "count": 1, "depth": 0},
        {"value": "长沙市", "label": "长沙市", "count": 1, "depth": 0},
    ]


def test_api_labels_follow_the_language(client, indexed):
    response = client.get("/api/search/listings/", {"brand": "komatsu"}, HTTP_ACCEPT_LANGUAGE="en")
    body = response.json()
    assert body["facets"]["brand"] == [
        {"value": "komatsu", "label": "Komatsu", "count": 1, "depth": 0}
    ]
    assert body["facets"]["city"][0]["label"] == "Zhuzhou"


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"year_min": "abc"}, {"year_min": ["请输入整数。"]}),
        ({"price_min": "500000", "price_max": "100000"}, {"price_min": ["下限不能大于上限。"]}),
        ({"radius_km": "50"}, {"near": ["按距离筛选需要选择城市。"]}),
        ({"page": "0"}, {"page": ["请输入 1 到 500 之间的数。"]}),
        ({"sort": "cheapest"}, {"sort": ["不支持的取值：cheapest。"]}),
        ({"near": "Atlantis"}, {"near": ["未知城市：Atlantis。"]}),
        ({"price_min": "NaN"}, {"price_min": ["请输入数字。"]}),
        ({"price_max": "1e400"}, {"price_max": ["金额超出范围。"]}),
        ({"inspected": "maybe"}, {"inspected": ["请输入 1 或 0。"]}),
        ({"closing_before": "tomorrow"}, {"closing_before": ["请输入日期，例如 2026-01-31。"]}),
        ({"page": "200", "page_size": "100"}, {"page": ["页码过大，请缩小搜索范围。"]}),
        ({"category": "no-such"}, {"category": ["未知类别。"]}),
        ({"brand": "no-such"}, {"brand": ["未知品牌。"]}),
        ({"q": "x" * 201}, {"q": ["最多 200 个字符。"]}),
    ],
)
def test_api_bad_parameters_give_400_with_field_messages(client, indexed, params, fields):
    response = client.get("/api/search/listings/", params)
    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "invalid_query", "message": "搜索条件有误。", "fields": fields}
    }


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("'", 7),
        ('"', 7),
        ("\\", 7),
        ("*", 7),
        ("((", 7),
        ("!", 7),
        ("&|", 7),
        ("％", 7),
        ("🙂", 7),
        ("a:b", 0),
        ("<script>", 0),
        ("' OR 1=1 --", None),
        ("'; DROP TABLE marketplace_listing; --", 0),
        ("三一' & '挖掘", 2),
        ("SY215:*", 2),
    ],
)
def test_api_odd_text_never_fails(client, indexed, text, total):
    """Punctuation is not searchable (such a query is an empty query); nothing ever errors.

    A NUL byte is refused with a 400 instead (tests/test_api_bad_input.py): PostgreSQL cannot
    take it in a text parameter."""
    response = client.get("/api/search/listings/", {"q": text})
    assert response.status_code == 200
    if total is not None:  # "or", "1": substring (SQLite) and prefix (PG, ES) matching differ
        assert response.json()["total"] == total


def test_suggest(client, indexed):
    response = client.get("/api/search/suggest/", {"q": "三"})
    assert response.status_code == 200
    body = response.json()
    assert [b["value"] for b in body["brands"]] == ["sany"]
    models = client.get("/api/search/suggest/", {"q": "pc2"}).json()["models"]
    assert [m["text"] for m in models] == ["PC200-8"]
    cities = client.get("/api/search/suggest/", {"q": "Chang"}).json()["cities"]
    assert [c["value"] for c in cities] == ["长沙市", "常德市"]
    categories = client.get("/api/search/suggest/", {"q": "挖掘"}).json()["categories"]
    assert [c["value"] for c in categories] == ["excavator", "excavator-medium", "excavator-mini"]
    # Codes complete with or without separators; English names and slugs complete too.
    models = client.get("/api/search/suggest/", {"q": "PC2008"}).json()["models"]
    assert [m["text"] for m in models] == ["PC200-8"]
    brands = client.get("/api/search/suggest/", {"q": "Koma"}).json()["brands"]
    assert [b["value"] for b in brands] == ["komatsu"]
    separators = client.get("/api/search/suggest/", {"q": " - / "}).json()
    assert (separators["brands"], separators["models"]) == ([], [])
    assert client.get("/api/search/suggest/").json() == {
        "brands": [],
        "models": [],
        "categories": [],
        "cities": [],
    }


def test_suggest_only_what_published_listings_have(client, indexed):
    """A brand or model without a published listing is not offered: it would find nothing."""
    from marketplace.tests.factories import BrandFactory, EquipmentModelFactory

    unlisted = BrandFactory(slug="sunward", name="山河智能", name_en="Sunward")
    EquipmentModelFactory(brand=unlisted, name="SWE215E", base_model="SWE215")
    assert client.get("/api/search/suggest/", {"q": "Sun"}).json()["brands"] == []
    assert client.get("/api/search/suggest/", {"q": "swe"}).json()["models"] == []
    # The withdrawn and draft SY215C listings do not count; the published ones do.
    models = client.get("/api/search/suggest/", {"q": "sy2"}).json()["models"]
    assert [m["text"] for m in models] == ["SY215C"]


def test_search_page_shows_results_and_facet_links(client, indexed):
    response = client.get("/listings/", {"q": "挖掘机", "brand": "sany"})
    assert response.status_code == 200
    html = response.content.decode().replace("&amp;", "&")
    for key in ("L1", "L2"):
        assert f'data-listing-id="{indexed["listings"][key].pk}"' in html
    assert f'data-listing-id="{indexed["listings"]["L3"].pk}"' not in html
    # A facet link keeps the other parameters; clicking the chosen brand clears it.
    assert "/listings/?" + urlencode({"q": "挖掘机", "brand": "sany", "city": "长沙市"}) in html
    assert '/listings/?q=%E6%8C%96%E6%8E%98%E6%9C%BA"' in html.replace("&amp;", "&")


def test_search_page_shows_errors(client, indexed):
    response = client.get("/listings/", {"year_min": "abc", "radius_km": "10"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请输入整数。" in html
    assert "按距离筛选需要选择城市。" in html


def test_search_page_in_english(client, indexed):
    client.cookies["django_language"] = "en"
    response = client.get("/listings/", {"q": "excavator"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200


def test_save_search_requires_login_and_changes_nothing(client, indexed):
    response = client.post("/search/saved/add/", {"name": "x", "params": "q=三一"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert SavedSearch.objects.count() == 0


def test_save_and_delete_search(client, indexed, buyer, other_dealer):
    client.force_login(buyer)
    response = client.post(
        "/search/saved/add/",
        {"name": "三一挖机", "params": urlencode({"q": "三一", "page": "3", "brand": "sany"})},
    )
    assert response.status_code == 302
    saved = SavedSearch.objects.get()
    assert (saved.user, saved.name, saved.params) == (
        buyer,
        "三一挖机",
        {"q": "三一", "brand": "sany"},
    )
    assert "三一挖机" in client.get("/search/saved/").content.decode()
    client.force_login(other_dealer)
    assert client.post(f"/search/saved/{saved.pk}/delete/").status_code == 404
    assert SavedSearch.objects.count() == 1
    client.force_login(buyer)
    assert client.post(f"/search/saved/{saved.pk}/delete/").status_code == 302
    assert SavedSearch.objects.count() == 0


def test_save_search_with_bad_params_is_refused(client, indexed, buyer):
    client.force_login(buyer)
    client.post("/search/saved/add/", {"name": "bad", "params": "year_min=abc"})
    assert SavedSearch.objects.count() == 0
