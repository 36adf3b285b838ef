"""The rules table and its settings; messages in English."""

import pytest

from procurement.rules import current_procurement_rules, rules_table
from procurement.tests.conftest import client_for, pass_deadline

pytestmark = pytest.mark.django_db


def test_rules_table_lists_every_method():
    table = {row["method"]: row for row in rules_table()}
    assert {m: r["minimum_quotes"] for m, r in table.items()} == {
        "inquiry": 3,
        "negotiation": 2,
        "invited_tender": 3,
        "open_tender": 3,
    }
    assert {m: r["minimum_response_days"] for m, r in table.items()} == {
        "inquiry": 3,
        "negotiation": 3,
        "invited_tender": 20,
        "open_tender": 20,
    }
    assert table["open_tender"]["legal_minimum_response_days"] == 20
    assert table["inquiry"]["legal_minimum_response_days"] is None
    assert table["open_tender"]["clarification_cutoff_days"] == 15
    assert table["open_tender"]["publicity_days"] == 3


def test_settings_override_the_defaults_but_not_the_law(settings):
    settings.PROCUREMENT_RULES = {
        "minimum_quotes": {"inquiry": 2},
        "minimum_response_days": {"open_tender": 5},
        "publicity_days": 5,
    }
    rules = current_procurement_rules()
    assert rules.minimum_quotes_for("inquiry") == 2
    assert rules.minimum_quotes_for("open_tender") == 3
    assert rules.publicity_days == 5
    assert rules.response_days_for("open_tender", subject_to_tendering_law=False) == 5
    assert rules.response_days_for("open_tender", subject_to_tendering_law=True) == 20
    assert rules.enforced_response_days("inquiry", subject_to_tendering_law=False) == 0


def test_rules_endpoint_and_english_errors(buyer, make_rfq, suppliers):
    assert len(client_for(buyer).get("/api/procurement/rules/").json()["methods"]) == 4
    rfq = pass_deadline(make_rfq())
    line = rfq.lines.get().pk
    response = client_for(suppliers[0][1]).post(
        f"/api/procurement/rfqs/{rfq.pk}/quotes/",
        {"lines": [{"rfq_line": line, "unit_price": "1.00", "quantity": 1}]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "The quotation deadline has passed."
