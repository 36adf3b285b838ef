"""POST /api/leasing/quote-preview/: the public contract of the quote engine."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

URL = "/api/leasing/quote-preview/"

WORKED_EXAMPLE = {
    "price": "1000000",
    "down_payment": "300000",
    "term_months": 36,
    "annual_rate": "0.06",
    "method": "annuity",
    "timing": "arrears",
    "deposit": "50000",
    "fee": "7000",
    "buyout_price": "100",
}


@pytest.fixture
def client():
    cache.clear()
    return APIClient()


def post(client, body):
    return client.post(URL, body, format="json")


def test_worked_example(client):
    response = post(client, WORKED_EXAMPLE)
    assert response.status_code == 200
    body = response.json()
    assert body["principal"] == "700000.00"
    assert len(body["payments"]) == 36
    assert body["payments"][0] == "21295.36"
    assert body["payments"][:35] == ["21295.36"] * 35
    assert body["apr"] == "0.0769"
    assert body["ear"] == "0.0797"
    assert body["vat_rate"] == "0.1300"
    assert body["vat_deductible"] is True
    schedule = body["schedule"]
    assert len(schedule) == 36
    assert set(schedule[0]) >= {"period", "rent", "principal", "interest", "balance"}
    assert schedule[0] == {
        "period": 1,
        "rent": "21295.36",
        "principal": "17795.36",
        "interest": "3500.00",
        "balance": "682204.64",
        "balloon": "0.00",
    }
    assert schedule[-1]["balance"] == "0.00"
    payments = [Decimal(rent) for rent in body["payments"]]
    assert sum(payments) == Decimal("766632.81")  # 35 × 21,295.36 + a last rent of 21,295.21
    assert Decimal(body["total_payments"]) == sum(payments) + Decimal(100)


def test_optional_fields_default_to_zero_arrears_and_direct(client):
    body = post(
        client,
        {
            "price": "1000000",
            "down_payment": "300000",
            "term_months": "36",
            "annual_rate": "0.06",
            "method": "annuity",
        },
    ).json()
    assert body["payments"][0] == "21295.36"
    assert body["apr"] == "0.0600"
    assert body["timing"] == "arrears"
    assert body["lease_type"] == "direct"
    assert body["deposit"] == "0.00"


def test_sale_leaseback_vat_is_on_interest_and_not_deductible(client):
    body = post(client, {**WORKED_EXAMPLE, "lease_type": "sale_leaseback"}).json()
    assert body["vat_rate"] == "0.0600"
    assert body["vat_deductible"] is False
    direct = post(client, WORKED_EXAMPLE).json()
    assert float(body["vat"]) < float(direct["vat"])


def test_advance_and_equal_principal_and_flat(client):
    base = {k: v for k, v in WORKED_EXAMPLE.items() if k not in ("deposit", "fee", "buyout_price")}
    assert post(client, {**base, "timing": "advance"}).json()["payments"][0] == "21189.41"
    equal = post(client, {**base, "method": "equal_principal"}).json()
    assert equal["payments"][0] == "22944.44"
    assert equal["payments"][-1] == "19541.67"
    flat = post(client, {**base, "method": "flat", "annual_rate": "0.035"}).json()
    assert flat["payments"][0] == "21486.11"
    assert flat["apr"] == "0.0660"


def test_balloon(client):
    base = {k: v for k, v in WORKED_EXAMPLE.items() if k not in ("deposit", "fee", "buyout_price")}
    body = post(client, {**base, "balloon": "100000"}).json()
    assert body["payments"][0] == "18753.16"
    assert body["schedule"][-1]["balloon"] == "100000.00"


def test_every_field_error_at_once(client):
    response = post(
        client,
        {
            "price": "abc",
            "down_payment": "-5",
            "term_months": 0,
            "annual_rate": "2",
            "method": "bogus",
            "timing": "sometimes",
            "lease_type": "rent",
            "fee": "1.001",
        },
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert isinstance(error["message"], str)
    fields = error["fields"]
    assert set(fields) == {
        "price",
        "down_payment",
        "term_months",
        "annual_rate",
        "method",
        "timing",
        "lease_type",
        "fee",
    }
    assert all(isinstance(messages, list) and messages for messages in fields.values())


def test_down_payment_above_price_is_refused(client):
    response = post(client, {**WORKED_EXAMPLE, "down_payment": "1000000"})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["down_payment"]


def test_missing_required_fields(client):
    response = post(client, {"price": "1000000"})
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"down_payment", "term_months", "annual_rate", "method"}
    assert fields["method"] == ["该字段是必填项。"]


def test_huge_term_refused(client):
    response = post(client, {**WORKED_EXAMPLE, "term_months": 1000})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["term_months"]


def test_body_must_be_an_object(client):
    response = post(client, ["1000000"])
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["error"]["fields"]


def test_english_messages(client):
    response = client.post(
        URL, {**WORKED_EXAMPLE, "price": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["error"]["fields"]["price"] == ["Enter a number."]


def test_no_login_and_no_csrf_needed(db):
    cache.clear()
    client = APIClient(enforce_csrf_checks=True)
    assert client.post(URL, WORKED_EXAMPLE, format="json").status_code == 200


def test_rate_limited_by_quote_scope(client, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"quote": "2/min"})
    cache.clear()
    codes = [post(client, WORKED_EXAMPLE).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert post(client, WORKED_EXAMPLE).json()["error"]["code"] == "throttled"


def test_deposit_offset_against_last_rents(client):
    returned = post(client, WORKED_EXAMPLE).json()
    offset = post(client, {**WORKED_EXAMPLE, "deposit_treatment": "offset"}).json()
    assert offset["payments"] == returned["payments"]  # contractual rents are unchanged
    # The deposit (50,000) covers the last rents at t=34..36, so it comes back earlier
    # than a refund at t=36 would and the true rate is slightly lower.
    assert (returned["apr"], offset["apr"]) == ("0.0769", "0.0767")
    bad = post(client, {**WORKED_EXAMPLE, "deposit_treatment": "kept"})
    assert list(bad.json()["error"]["fields"]) == ["deposit_treatment"]
