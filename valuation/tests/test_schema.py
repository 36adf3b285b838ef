"""The valuation API is documented in the OpenAPI schema without generator warnings."""

from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator


def test_valuation_endpoints_are_documented_without_warnings():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    assert [message for message in messages if "valuation" in message.lower()] == []
    paths = schema["paths"]
    assert set(paths["/api/valuation/estimate/"]) == {"get", "post"}
    assert "get" in paths["/api/valuation/listings/{listing_id}/"]
    assert "get" in paths["/api/valuation/models/"]
    estimate = paths["/api/valuation/estimate/"]["get"]
    names = {parameter["name"] for parameter in estimate["parameters"]}
    assert {"brand", "model", "equipment_model", "year", "hours", "city"} <= names
    result = schema["components"]["schemas"]["ValuationResult"]["properties"]
    assert {"p10", "p50", "p90", "comparables", "forecast", "model_version"} <= set(result)
