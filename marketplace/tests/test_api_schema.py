"""The listings API documents itself without drf-spectacular warnings or errors."""

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


def test_marketplace_schema_has_no_warnings():
    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/", include("marketplace.api_urls"))])
    schema = generator.get_schema(request=None, public=True)
    warnings = dict(GENERATOR_STATS._warn_cache)
    errors = dict(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    assert (warnings, errors) == ({}, {})
    assert set(schema["paths"]) == {"/api/listings/", "/api/listings/{id}/"}
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
