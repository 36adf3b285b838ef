"""The read-only listings API: shape, filters, errors, pagination, auth, throttling, queries."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from core.tests.images import png_upload
from marketplace import services
from marketplace.models import HourMeterReading
from marketplace.tests.factories import ListingFactory, MachineFactory, PublishedListingFactory

pytestmark = pytest.mark.django_db
LIST_URL = "/api/listings/"


@pytest.fixture
def api():
    return APIClient()


def detail_url(listing) -> str:
    return f"/api/listings/{listing.pk}/"


def test_list_shows_only_published_with_pagination(api, dealer_org):
    published = [PublishedListingFactory() for _ in range(3)]
    ListingFactory()  # draft
    ListingFactory(status="withdrawn")
    response = api.get(LIST_URL, {"page_size": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"].endswith("page=2&page_size=2")
    assert body["previous"] is None
    first = body["results"][0]
    assert first["id"] == published[-1].pk
    assert first["asking_price"] == "380000.00"
    assert first["currency"] == "CNY"
    assert first["machine"]["brand_slug"] == "sany"
    assert first["url"] == f"http://testserver/listings/{published[-1].pk}/"


def test_filters_like_the_browse_page(api):
    cheap = PublishedListingFactory(asking_price=Decimal("100000"))
    PublishedListingFactory(asking_price=Decimal("500000"), machine=MachineFactory(city="株洲市"))
    response = api.get(LIST_URL, {"price_max": "200000", "city": "长沙市"})
    assert [row["id"] for row in response.json()["results"]] == [cheap.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year_min": "abc"}, "year_min"),
        ({"price_min": "lots"}, "price_min"),
        ({"sale_format": "barter"}, "sale_format"),
        ({"city": "北京市"}, "city"),
        ({"hours_min": "-5"}, "hours_min"),
        ({"year_min": "2022", "year_max": "2010"}, "year_max"),
    ],
)
def test_bad_filter_is_400_with_field_messages(api, params, field):
    response = api.get(LIST_URL, params)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "invalid"
    assert list(body["error"]["fields"]) == [field]
    assert all(isinstance(message, str) for message in body["error"]["fields"][field])


def test_year_min_abc_message(api):
    response = api.get(LIST_URL, {"year_min": "abc"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["error"]["fields"] == {"year_min": ["A valid integer is required."]}


def test_detail_has_specs_photos_hours_and_seller(api, dealer, dealer_org):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org))
    services.listing_photo_add(listing=listing, actor=dealer, upload=png_upload(), kind="front")
    HourMeterReading.objects.create(machine=listing.machine, hours=4200, source="seller")
    listing.status = "published"
    listing.save()
    body = api.get(detail_url(listing)).json()
    assert body["machine"]["operating_weight_t"] == "21.50"
    assert body["machine"]["engine_power_kw"] == "114.0"
    assert body["machine"]["hour_readings"][0]["hours"] == 4200
    assert body["machine"]["hour_readings"][0]["source"] == "seller"
    assert body["photos"][0]["kind"] == "front"
    assert body["photos"][0]["url"].startswith("http://testserver/media/listings/")
    assert body["thumbnail"] == body["photos"][0]["url"]
    assert body["seller"] == {
        "id": dealer_org.pk,
        "name": "长沙测试经销商",
        "seller_type": "dealer",
        "city": "长沙市",
        "is_verified": True,
    }


def test_404_format(api):
    response = api.get("/api/listings/999999/")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": response.json()["error"]["message"], "fields": {}}
    }
    assert response.json()["error"]["message"]


def test_token_auth_lets_the_seller_see_its_draft(api, dealer, dealer_org, settings):
    draft = ListingFactory(machine=MachineFactory(owner=dealer_org))
    assert api.get(detail_url(draft)).status_code == 404
    token = Token.objects.create(user=dealer)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get(detail_url(draft))
    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get(detail_url(draft))
    # DRF answers 401 only when the first authentication class names a WWW-Authenticate
    # scheme; with session authentication first it is 403. Either way the body is the same.
    first = settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"][0]
    assert response.status_code == (401 if first.endswith("TokenAuthentication") else 403)
    assert response.json()["error"]["code"] == "authentication_failed"


def test_obtain_token_endpoint(api, dealer):
    response = api.post("/api/auth/token/", {"username": "dealer", "password": "pass-1234"})
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=dealer).key


def test_read_only(api, dealer):
    api.force_authenticate(dealer)
    assert api.post(LIST_URL, {}).status_code == 405


def test_throttling_is_configured_and_applies(api, settings, monkeypatch):
    from django.conf import settings as django_settings

    base = django_settings.REST_FRAMEWORK
    assert "rest_framework.throttling.AnonRateThrottle" in base["DEFAULT_THROTTLE_CLASSES"]
    assert "rest_framework.throttling.UserRateThrottle" in base["DEFAULT_THROTTLE_CLASSES"]
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "100/min"})
    cache.clear()
    try:
        assert [api.get(LIST_URL).status_code for _ in range(3)] == [200, 200, 429]
        body = api.get(LIST_URL).json()
        assert body["error"]["code"] == "throttled"
    finally:
        cache.clear()


@pytest.mark.parametrize("count", [5, 25])
def test_list_query_count_is_constant(api, count):
    for _ in range(count):
        listing = PublishedListingFactory()
        listing.photos.create(image="listings/x.png", kind="front", width=4, height=3)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(LIST_URL, {"page_size": 100})
    assert len(response.json()["results"]) == count
    # count + page (listing/machine/brand/category/model/seller joined) + photos prefetch
    assert len(queries.captured_queries) == 3


def test_schema_documents_the_endpoints(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/listings/" in schema["paths"]
    assert "/api/listings/{id}/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/listings/"]["get"]["parameters"]}
    assert {"year_min", "price_max", "category", "page", "page_size"} <= parameters


def test_swagger_ui_is_self_hosted(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn.jsdelivr.net" not in html
