"""Bad input under /api/ and on the search page is a 4xx with a message, never a 500, and
changes nothing; unknown paths and non-integer ids under /api/ are JSON 404s."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from leasing.models import LeaseApplicationEvent
from leasing.tests.factories import LeaseApplicationFactory, LeaseProductFactory
from marketplace.models import ListingStatus
from marketplace.tests.factories import PublishedListingFactory
from trading.models import Order

NOT_FOUND = {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}

APPLICATION_ACTIONS = [
    "request-info",
    "resubmit",
    "approve",
    "decline",
    "accept",
    "withdraw",
    "documents",
    "start-contract",
]


@pytest.fixture
def api(buyer):
    client = APIClient(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(buyer)
    return client


@pytest.fixture
def application(buyer_org, dealer_org):
    listing = PublishedListingFactory(machine__owner=dealer_org)
    return LeaseApplicationFactory(
        applicant=buyer_org, listing=listing, product=LeaseProductFactory()
    )


def _snapshot(application):
    application.refresh_from_db()
    return (application.status, LeaseApplicationEvent.objects.count())


@pytest.mark.django_db
def test_non_integer_application_id_is_a_json_404(api, application):
    before = _snapshot(application)
    response = api.get("/api/leasing/applications/abc/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == NOT_FOUND
    assert _snapshot(application) == before


@pytest.mark.django_db
@pytest.mark.parametrize("action", APPLICATION_ACTIONS)
def test_non_integer_application_id_under_every_action_is_a_json_404(api, application, action):
    before = _snapshot(application)
    response = api.post(f"/api/leasing/applications/abc/{action}/", {}, format="json")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert _snapshot(application) == before


@pytest.mark.django_db
def test_an_id_beyond_the_integer_range_is_a_404(api, application):
    response = api.get(f"/api/leasing/applications/{10**30}/")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/listings/abc/",
        "/api/trading/lots/abc/",
        "/api/trading/orders/1.5/",
        "/api/certification/machines/x/passport/",
        "/api/recycling/requests/abc/complete/",
        "/api/valuation/listings/abc/",
        "/api/no-such-endpoint/",
    ],
)
def test_unknown_paths_and_non_integer_ids_under_api_are_json_404s(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == NOT_FOUND


@pytest.mark.django_db
def test_api_path_without_trailing_slash_still_redirects(api):
    response = api.get("/api/listings")
    assert response.status_code == 301
    assert response["Location"] == "/api/listings/"


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["true", "[1]", '"text"', "null", "12"])
def test_buy_now_with_a_body_that_is_not_an_object_is_a_400(api, body):
    listing = PublishedListingFactory()
    response = api.post(
        f"/api/trading/listings/{listing.pk}/buy-now/", body, content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["non_field_errors"]
    assert Order.objects.count() == 0
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED


@pytest.mark.django_db
def test_buy_now_with_a_non_integer_organization_is_a_400(api):
    listing = PublishedListingFactory()
    response = api.post(
        f"/api/trading/listings/{listing.pk}/buy-now/", {"organization": "abc"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["organization"]
    assert Order.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/api/search/suggest/?q=%00", "/api/search/suggest/?q=sa%00ny", "/api/search/listings/?q=%00"],
)
def test_nul_byte_in_search_api_text_is_a_400(path):
    response = APIClient(HTTP_ACCEPT_LANGUAGE="en").get(path)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_query"
    assert error["fields"] == {"q": ["Must not contain a NUL character."]}


@pytest.mark.django_db
@pytest.mark.parametrize("param", ["city", "q", "province", "brand", "category", "near"])
def test_nul_byte_in_search_page_parameters_is_a_400_with_the_form_error(param):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/listings/", {param: "长沙\x00"})
    assert response.status_code == 400
    assert response.context["errors"] == {param: ["Must not contain a NUL character."]}
    assert "Must not contain a NUL character." in response.content.decode()


@pytest.mark.django_db
def test_suggestions_still_answer_ordinary_text():
    response = APIClient().get("/api/search/suggest/", {"q": "长沙"})
    assert response.status_code == 200
    assert response.json()["cities"] == [{"value": "长沙市", "label": "长沙市", "text": "长沙市"}]
