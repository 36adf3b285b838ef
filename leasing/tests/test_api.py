"""Products, listing quotes and applications over the API; visibility is per organization."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from leasing.models import ApplicationStatus, LeaseApplication
from leasing.rules import required_documents
from leasing.tests.factories import LeaseApplicationFactory, LeaseProductFactory, attach_document


@pytest.fixture
def api():
    cache.clear()
    return APIClient()


def test_products_list_is_public(api, product):
    response = api.get("/api/leasing/products/")
    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["name"] == "湘江直租36"
    assert item["lessor"] == "湘江融资租赁"
    assert item["term_choices"] == [12, 24, 36, 48, 60]
    assert item["max_ltv"] == "0.8000"


def test_listing_quotes(api, product, listing, no_valuation):
    response = api.get(
        f"/api/leasing/listings/{listing.pk}/quotes/",
        {"down_payment": "300000", "term_months": 36, "method": "annuity"},
    )
    assert response.status_code == 200
    body = response.json()
    [item] = body["quotes"]
    assert item["quote"]["payments"][0] == "21295.36"
    assert item["quote"]["apr"] == "0.0601"  # the CNY 100 buy-out at the end
    assert item["terms"]["down_payment"] == "300000.00"
    assert item["notes"] == []


def test_listing_quotes_balloon_note_without_forecast(api, product, listing, no_valuation):
    body = api.get(f"/api/leasing/listings/{listing.pk}/quotes/", {"balloon": "100000"}).json()
    [item] = body["quotes"]
    assert item["terms"]["balloon"] == "0.00"
    assert item["notes"][0].startswith("残值预测暂不可用")


def test_listing_quotes_bad_query_and_unknown_listing(api, product, listing):
    response = api.get(f"/api/leasing/listings/{listing.pk}/quotes/", {"term_months": "x"})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["term_months"]
    assert api.get("/api/leasing/listings/999999/quotes/").status_code == 404


@pytest.fixture
def two_applications(product, listing, buyer_org, buyer, lessor_org, category, dealer_org):
    other_lessor = OrganizationFactory(kind=OrganizationKind.LESSOR, name="其他租赁")
    other_product = LeaseProductFactory(lessor=other_lessor, categories=[category])
    mine = LeaseApplicationFactory(product=product, listing=listing, applicant=buyer_org)
    other_buyer_org = OrganizationFactory(kind=OrganizationKind.BUYER)
    theirs = LeaseApplicationFactory(
        product=other_product, listing=listing, applicant=other_buyer_org
    )
    return mine, theirs, other_lessor


def ids(response):
    return {item["id"] for item in response.json()["results"]}


def test_buyer_sees_only_own(api, buyer, two_applications):
    mine, theirs, _ = two_applications
    api.force_authenticate(buyer)
    assert ids(api.get("/api/leasing/applications/?role=applicant")) == {mine.pk}
    assert api.get(f"/api/leasing/applications/{mine.pk}/").status_code == 200
    assert api.get(f"/api/leasing/applications/{theirs.pk}/").status_code == 404


def test_lessor_sees_only_addressed(api, lessor, two_applications):
    mine, theirs, _ = two_applications
    api.force_authenticate(lessor)
    assert ids(api.get("/api/leasing/applications/?role=lessor")) == {mine.pk}
    response = api.post(f"/api/leasing/applications/{theirs.pk}/decline/", {"reason": "x"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ApplicationStatus.SUBMITTED


def test_anonymous_cannot_list(api, two_applications):
    assert api.get("/api/leasing/applications/").status_code in (401, 403)


def test_create_review_accept_over_api(api, buyer, lessor, product, listing, no_valuation):
    api.force_authenticate(buyer)
    response = api.post(
        "/api/leasing/applications/",
        {"kind": "purchase", "product": product.pk, "listing": listing.pk, "term_months": 36},
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["events"][0]["to_status"] == "submitted"
    for kind in required_documents("purchase"):  # uploads are covered in test_views
        attach_document(LeaseApplication.objects.get(pk=pk), kind)

    api.force_authenticate(lessor)
    response = api.post(
        f"/api/leasing/applications/{pk}/approve/",
        {
            "price": "1000000",
            "down_payment": "300000",
            "term_months": 36,
            "annual_rate": "0.06",
            "fee": "7000",
            "buyout_price": "100",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"

    api.force_authenticate(buyer)
    assert api.post(f"/api/leasing/applications/{pk}/accept/").json()["status"] == "accepted"
    api.force_authenticate(lessor)
    response = api.post(
        f"/api/leasing/applications/{pk}/start-contract/",
        {"registry_reference": "04470913000472823822"},
        format="json",
    )
    assert response.status_code == 201
    listing.machine.refresh_from_db()
    assert listing.machine.is_encumbered is True


def test_buyer_cannot_approve_own_application(api, buyer, two_applications):
    mine, _, _ = two_applications
    api.force_authenticate(buyer)
    response = api.post(
        f"/api/leasing/applications/{mine.pk}/approve/",
        {"price": "1", "down_payment": "0", "term_months": 12, "annual_rate": "0.05"},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    mine.refresh_from_db()
    assert mine.status == ApplicationStatus.SUBMITTED


def test_document_upload_over_api(api, buyer, two_applications):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.tests.documents import pdf_bytes

    mine, _, _ = two_applications
    before = mine.documents.count()  # the factory attached the required documents
    api.force_authenticate(buyer)
    upload = SimpleUploadedFile("a.pdf", pdf_bytes(), content_type="application/pdf")
    response = api.post(
        f"/api/leasing/applications/{mine.pk}/documents/",
        {"kind": "business_license", "file": upload},
        format="multipart",
    )
    assert response.status_code == 201
    assert response.json()["content_type"] == "pdf"
    bad = SimpleUploadedFile("a.pdf", b"GIF89a nope", content_type="application/pdf")
    response = api.post(
        f"/api/leasing/applications/{mine.pk}/documents/",
        {"kind": "business_license", "file": bad},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]
    assert mine.documents.count() == before + 1


def test_preapproval_over_api(api, buyer, product, buyer_org):
    api.force_authenticate(buyer)
    response = api.post(
        "/api/leasing/applications/",
        {"kind": "preapproval", "product": product.pk, "price": "500000", "term_months": 24},
        format="json",
    )
    assert response.status_code == 201
    assert LeaseApplication.objects.get().kind == "preapproval"


def test_wrong_role_member_cannot_apply(api, product, listing, buyer_org):
    viewer = member_of(buyer_org, Role.VIEWER)
    api.force_authenticate(viewer)
    response = api.post(
        "/api/leasing/applications/",
        {"kind": "purchase", "product": product.pk, "listing": listing.pk, "term_months": 36},
        format="json",
    )
    assert response.status_code == 403
    assert LeaseApplication.objects.count() == 0
