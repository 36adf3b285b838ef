"""The schema documents the API's refusals: every operation lists 400/401/403/404/409 (and
429) with the one error body, and fields that can be null say so."""

import pytest
from drf_spectacular.generators import SchemaGenerator

ERROR_REF = {"$ref": "#/components/schemas/Error"}
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_every_operation_documents_the_error_responses(schema):
    missing = sorted(
        (method.upper(), path, code)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
        for code in ("400", "401", "403", "404", "409", "429")
        if operation["responses"]
        .get(code, {})
        .get("content", {})
        .get("application/json", {})
        .get("schema")
        != ERROR_REF
    )
    assert missing == []


def test_the_error_body_is_documented_as_the_handler_writes_it(schema):
    components = schema["components"]["schemas"]
    assert components["Error"]["properties"] == {
        "error": {"$ref": "#/components/schemas/ErrorDetail"}
    }
    assert components["Error"]["required"] == ["error"]
    detail = components["ErrorDetail"]
    assert set(detail["properties"]) == {"code", "message", "fields"}
    assert set(detail["required"]) == {"code", "message", "fields"}


def test_an_operation_keeps_its_own_description_of_an_error(schema):
    retrieve = schema["paths"]["/api/listings/{id}/"]["get"]
    assert retrieve["responses"]["404"]["content"]["application/json"]["schema"] == ERROR_REF
    assert retrieve["parameters"][0]["schema"]["type"] == "integer"


def test_nullable_listing_fields_are_documented_nullable(schema):
    components = schema["components"]["schemas"]
    assert components["ListingSummary"]["properties"]["thumbnail"]["nullable"] is True
    machine = components["MachineDetail"]["properties"]
    for name in (
        "operating_weight_t",
        "engine_power_kw",
        "bucket_capacity_m3",
        "lifting_capacity_t",
    ):
        assert machine[name]["nullable"] is True, name
