"""The REST contract under /api/procurement/, end to end, including the sealed-quote rule."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from procurement.models import Quote, RequestForQuotation, RfqEvent, RfqStatus
from procurement.tests.conftest import client_for, pass_deadline

pytestmark = pytest.mark.django_db

BASE = "/api/procurement/rfqs/"


def create_body(**overrides) -> dict:
    body = {
        "title": "20 吨级挖掘机两台",
        "method": "inquiry",
        "visibility": "open",
        "invited_organizations": [],
        "deadline": (timezone.now() + dt.timedelta(days=10)).isoformat(),
        "lines": [
            {
                "category": "excavator",
                "quantity": 2,
                "conditions": ["used", "remanufactured"],
                "delivery_city": "长沙市",
                "specification": "斗容 1.0 m³ 以上",
            }
        ],
    }
    body.update(overrides)
    return body


def quote_body(line_id: int, price: str = "480000.00", quantity: int = 2) -> dict:
    return {
        "lines": [
            {
                "rfq_line": line_id,
                "unit_price": price,
                "quantity": quantity,
                "lead_time_days": 15,
                "warranty_months": 6,
            }
        ]
    }


@pytest.fixture
def published(buyer, category):
    client = client_for(buyer)
    created = client.post(BASE, create_body(), format="json")
    assert created.status_code == 201, created.json()
    rfq_id = created.json()["id"]
    assert client.post(f"{BASE}{rfq_id}/publish/").json()["status"] == "published"
    detail = client.get(f"{BASE}{rfq_id}/").json()
    return rfq_id, detail["lines"][0]["id"]


def test_create_returns_a_draft_with_its_lines(buyer, buyer_org, category):
    response = client_for(buyer).post(BASE, create_body(), format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "draft"
    assert data["buyer"] == buyer_org.pk
    assert data["method"] == "inquiry"
    assert data["weights"] == {
        "price": "60.00",
        "quality": "15.00",
        "delivery": "10.00",
        "service": "10.00",
        "finance": "5.00",
    }
    [line] = data["lines"]
    assert line["category"] == "excavator"
    assert line["quantity"] == 2
    assert line["conditions"] == ["used", "remanufactured"]
    assert line["delivery_city"] == "长沙市"
    assert isinstance(line["id"], int)


def test_create_refuses_unknown_category_and_zero_quantity_with_field_paths(buyer, category):
    body = create_body(lines=[{"category": "no-such", "quantity": 0, "conditions": ["used"]}])
    response = client_for(buyer).post(BASE, body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"lines.0.category", "lines.0.quantity"}
    assert RequestForQuotation.objects.count() == 0


def test_create_refuses_a_bad_condition_through_the_serializer(buyer, category):
    body = create_body(lines=[{"category": "excavator", "quantity": 1, "conditions": ["shiny"]}])
    response = client_for(buyer).post(BASE, body, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["lines.0.conditions.0"]


def test_a_user_without_a_buying_role_cannot_create(buyer_org, category):
    viewer = member_of(buyer_org, Role.VIEWER)
    response = client_for(viewer).post(BASE, create_body(), format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "no_buyer_organization"
    assert RequestForQuotation.objects.count() == 0


def test_anonymous_is_refused(category):
    from rest_framework.test import APIClient

    assert APIClient().post(BASE, create_body(), format="json").status_code in {401, 403}


def test_publish_and_detail(published, buyer):
    rfq_id, line_id = published
    data = client_for(buyer).get(f"{BASE}{rfq_id}/").json()
    assert data["status"] == "published"
    assert [line["id"] for line in data["lines"]] == [line_id]


def test_a_draft_is_not_visible_to_suppliers(buyer, suppliers, category):
    rfq_id = client_for(buyer).post(BASE, create_body(), format="json").json()["id"]
    response = client_for(suppliers[0][1]).get(f"{BASE}{rfq_id}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_quote_is_created(published, suppliers):
    rfq_id, line_id = published
    org, user = suppliers[0]
    response = client_for(user).post(f"{BASE}{rfq_id}/quotes/", quote_body(line_id), format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["supplier"] == org.pk
    assert data["version"] == 1
    assert len(data["hash"]) == 64
    assert data["lines"][0]["unit_price"] == "480000.00"
    assert data["lines"][0]["total"] == "960000.00"


def test_quote_refused_for_a_supplier_not_invited(buyer, suppliers, category):
    invited_org, _ = suppliers[0]
    body = create_body(visibility="invited", invited_organizations=[invited_org.pk])
    client = client_for(buyer)
    rfq_id = client.post(BASE, body, format="json").json()["id"]
    client.post(f"{BASE}{rfq_id}/publish/")
    line_id = client.get(f"{BASE}{rfq_id}/").json()["lines"][0]["id"]
    outsider = suppliers[1][1]
    response = client_for(outsider).post(
        f"{BASE}{rfq_id}/quotes/", quote_body(line_id), format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_invited"
    assert Quote.objects.count() == 0
    # The invited one may quote; the outsider does not even see the request.
    invited = client_for(suppliers[0][1]).post(
        f"{BASE}{rfq_id}/quotes/", quote_body(line_id), format="json"
    )
    assert invited.status_code == 201
    assert client_for(outsider).get(f"{BASE}{rfq_id}/").status_code == 404


def test_quote_refused_for_the_buyers_own_organization(published, buyer):
    rfq_id, line_id = published
    response = client_for(buyer).post(f"{BASE}{rfq_id}/quotes/", quote_body(line_id), format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "no_supplier_organization"
    assert Quote.objects.count() == 0


def test_quote_refused_for_a_dealer_buyer_quoting_on_its_own_request(category):
    dealer = OrganizationFactory(kind=OrganizationKind.DEALER)
    owner = member_of(dealer, Role.OWNER)
    client = client_for(owner)
    rfq_id = client.post(BASE, create_body(), format="json").json()["id"]
    client.post(f"{BASE}{rfq_id}/publish/")
    line_id = client.get(f"{BASE}{rfq_id}/").json()["lines"][0]["id"]
    response = client.post(f"{BASE}{rfq_id}/quotes/", quote_body(line_id), format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "own_request"
    assert Quote.objects.count() == 0


def test_quote_refused_after_the_deadline(published, suppliers):
    rfq_id, line_id = published
    pass_deadline(RequestForQuotation.objects.get(pk=rfq_id))
    response = client_for(suppliers[0][1]).post(
        f"{BASE}{rfq_id}/quotes/", quote_body(line_id), format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "deadline_passed"
    assert Quote.objects.count() == 0


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"unit_price": "0"}, "lines.0.unit_price"),
        ({"unit_price": "-1.00"}, "lines.0.unit_price"),
        ({"quantity": 0}, "lines.0.quantity"),
        ({"quantity": 3}, "lines.0.quantity"),
        ({"rfq_line": 999999}, "lines.0.rfq_line"),
        ({"unit_price": "abc"}, "lines.0.unit_price"),
    ],
)
def test_quote_refused_for_bad_values(published, suppliers, line, field):
    rfq_id, line_id = published
    body = quote_body(line_id)
    body["lines"][0].update(line)
    response = client_for(suppliers[0][1]).post(f"{BASE}{rfq_id}/quotes/", body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]
    assert Quote.objects.count() == 0


def test_quote_refused_for_a_line_of_another_request(published, suppliers, buyer):
    rfq_id, _ = published
    other_id = client_for(buyer).post(BASE, create_body(), format="json").json()["id"]
    other_line = client_for(buyer).get(f"{BASE}{other_id}/").json()["lines"][0]["id"]
    response = client_for(suppliers[0][1]).post(
        f"{BASE}{rfq_id}/quotes/", quote_body(other_line), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["lines.0.rfq_line"]


def test_sealed_quotes_then_opening_and_comparison(published, buyer, suppliers):
    rfq_id, line_id = published
    prices = ["480000.00", "455000.00", "472500.50"]
    for (_, user), price in zip(suppliers, prices, strict=True):
        response = client_for(user).post(
            f"{BASE}{rfq_id}/quotes/", quote_body(line_id, price), format="json"
        )
        assert response.status_code == 201
    buyer_client = client_for(buyer)

    # Before the opening the buyer learns the count and nothing else.
    sealed = buyer_client.get(f"{BASE}{rfq_id}/quotes/")
    assert sealed.status_code == 200
    assert sealed.json() == {"count": 3}
    # A supplier sees its own quote only.
    own = client_for(suppliers[1][1]).get(f"{BASE}{rfq_id}/quotes/").json()
    assert own["count"] == 1
    assert [q["supplier"] for q in own["quotes"]] == [suppliers[1][0].pk]
    text = client_for(suppliers[1][1]).get(f"{BASE}{rfq_id}/quotes/").content.decode()
    assert "480000" not in text and "472500" not in text
    # No comparison before the opening.
    early = buyer_client.get(f"{BASE}{rfq_id}/comparison/")
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "not_opened"
    assert buyer_client.post(f"{BASE}{rfq_id}/open/").status_code == 409

    pass_deadline(RequestForQuotation.objects.get(pk=rfq_id))
    opened = buyer_client.post(f"{BASE}{rfq_id}/open/")
    assert opened.status_code == 200
    assert opened.json()["status"] == "opened"
    hashes = {q.content_hash for q in Quote.objects.filter(is_active=True)}
    assert {q["hash"] for q in opened.json()["opening_record"]["quotes"]} == hashes

    comparison = buyer_client.get(f"{BASE}{rfq_id}/comparison/").json()
    [line] = comparison["lines"]
    assert line["rfq_line"] == line_id
    assert [
        (q["supplier"], q["unit_price"], q["quantity"], q["total"]) for q in line["quotes"]
    ] == [
        (suppliers[1][0].pk, "455000.00", 2, "910000.00"),
        (suppliers[2][0].pk, "472500.50", 2, "945001.00"),
        (suppliers[0][0].pk, "480000.00", 2, "960000.00"),
    ]
    assert {(q["lead_time_days"], q["warranty_months"]) for q in line["quotes"]} == {(15, 6)}
    after = buyer_client.get(f"{BASE}{rfq_id}/quotes/").json()
    assert after["count"] == 3 and len(after["quotes"]) == 3
    # Suppliers never get the comparison.
    assert client_for(suppliers[0][1]).get(f"{BASE}{rfq_id}/comparison/").status_code == 403


def test_opening_with_too_few_quotes_fails(published, buyer, suppliers):
    rfq_id, line_id = published
    client_for(suppliers[0][1]).post(f"{BASE}{rfq_id}/quotes/", quote_body(line_id), format="json")
    pass_deadline(RequestForQuotation.objects.get(pk=rfq_id))
    response = client_for(buyer).post(f"{BASE}{rfq_id}/open/")
    assert response.status_code == 200
    assert response.json()["status"] == "failed"
    # Failed at the opening: the prices stay sealed.
    assert client_for(buyer).get(f"{BASE}{rfq_id}/quotes/").json() == {"count": 1}
    assert client_for(buyer).get(f"{BASE}{rfq_id}/comparison/").status_code == 409


def test_split_award_goes_into_publicity(published, buyer, suppliers):
    rfq_id, line_id = published
    for (_, user), price in zip(suppliers, ["480000", "455000", "470000"], strict=True):
        client_for(user).post(f"{BASE}{rfq_id}/quotes/", quote_body(line_id, price), format="json")
    pass_deadline(RequestForQuotation.objects.get(pk=rfq_id))
    client = client_for(buyer)
    client.post(f"{BASE}{rfq_id}/open/")
    quotes = {q.supplier_id: q.pk for q in Quote.objects.filter(is_active=True)}
    body = {
        "awards": [
            {"rfq_line": line_id, "quote": quotes[suppliers[1][0].pk], "quantity": 1},
            {"rfq_line": line_id, "quote": quotes[suppliers[2][0].pk], "quantity": 1},
        ]
    }
    response = client.post(f"{BASE}{rfq_id}/award/", body, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "publicity"
    awards = client.get(f"{BASE}{rfq_id}/").json()["awards"]
    assert [(a["supplier"], a["quantity"], a["unit_price"]) for a in awards] == [
        (suppliers[1][0].pk, 1, "455000.00"),
        (suppliers[2][0].pk, 1, "470000.00"),
    ]


def test_award_refused_over_the_requested_quantity(published, buyer, suppliers):
    rfq_id, line_id = published
    for _, user in suppliers:
        client_for(user).post(f"{BASE}{rfq_id}/quotes/", quote_body(line_id), format="json")
    pass_deadline(RequestForQuotation.objects.get(pk=rfq_id))
    client = client_for(buyer)
    client.post(f"{BASE}{rfq_id}/open/")
    quote_ids = list(Quote.objects.filter(is_active=True).values_list("pk", flat=True))
    body = {"awards": [{"rfq_line": line_id, "quote": pk, "quantity": 1} for pk in quote_ids]}
    response = client.post(f"{BASE}{rfq_id}/award/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "awards.2.quantity": ["授标数量合计超过采购数量。"]
    }
    assert RequestForQuotation.objects.get(pk=rfq_id).status == RfqStatus.OPENED
    assert not RfqEvent.objects.filter(rfq_id=rfq_id, kind="awarded").exists()


def test_schema_documents_the_procurement_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    paths = (
        response.json()["paths"] if response["content-type"].startswith("application/json") else {}
    )
    if not paths:
        import yaml

        paths = yaml.safe_load(response.content)["paths"]
    for path in ["rfqs/", "rfqs/{id}/quotes/", "rfqs/{id}/comparison/", "rfqs/{id}/award/"]:
        assert f"/api/procurement/{path}" in paths


def test_the_budget_is_shown_to_suppliers_only_when_published(buyer, suppliers, category):
    client = client_for(buyer)
    hidden = client.post(BASE, create_body(budget_ceiling="900000.00"), format="json").json()
    shown = client.post(
        BASE, create_body(budget_ceiling="900000.00", budget_published=True), format="json"
    ).json()
    for rfq in (hidden, shown):
        client.post(f"{BASE}{rfq['id']}/publish/")
    supplier = client_for(suppliers[0][1])
    assert supplier.get(f"{BASE}{hidden['id']}/").json()["budget_ceiling"] is None
    assert supplier.get(f"{BASE}{shown['id']}/").json()["budget_ceiling"] == "900000.00"
    assert client.get(f"{BASE}{hidden['id']}/").json()["budget_ceiling"] == "900000.00"
    assert "invited_organizations" not in supplier.get(f"{BASE}{hidden['id']}/").json()


@pytest.mark.parametrize("extra_suppliers", [0, 3])
def test_comparison_query_count_does_not_grow_with_quotes(
    published, buyer, suppliers, extra_suppliers, django_assert_num_queries
):
    rfq_id, line_id = published
    quoting = [user for _, user in suppliers]
    for index in range(extra_suppliers):
        org = OrganizationFactory(kind=OrganizationKind.DEALER)
        quoting.append(member_of(org, Role.OWNER, username=f"extra{index}"))
    for user in quoting:
        client_for(user).post(f"{BASE}{rfq_id}/quotes/", quote_body(line_id), format="json")
    pass_deadline(RequestForQuotation.objects.get(pk=rfq_id))
    client = client_for(buyer)
    client.post(f"{BASE}{rfq_id}/open/")
    with django_assert_num_queries(6):
        response = client.get(f"{BASE}{rfq_id}/comparison/")
    assert sum(len(line["quotes"]) for line in response.json()["lines"]) == len(quoting)
