"""``manage.py search_benchmark`` (moved here from marketplace): the same one JSON line."""

import io
import json

import pytest
from django.core.management import call_command

from search import catalogue
from search.models import ListingSearchEntry


@pytest.mark.django_db(transaction=True)  # VACUUM ANALYZE on PostgreSQL needs autocommit
def test_prints_one_json_line_and_removes_its_data(settings):
    settings.SEARCH_BACKEND = "database"
    catalogue.clear()  # the command loads the catalogue in bulk; earlier tests cached another
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(
        "search_benchmark",
        "--listings",
        "6",
        "--queries",
        "200",
        "--json",
        stdout=stdout,
        stderr=stderr,
    )
    lines = stdout.getvalue().splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert list(line) == [
        "backend",
        "listings",
        "queries",
        "p50_ms",
        "p95_ms",
        "baseline_p95_ms",
        "facet_cache",
        "uncached_p50_ms",
        "uncached_p95_ms",
    ]
    assert (line["backend"], line["listings"], line["queries"], line["facet_cache"]) == (
        "database",
        6,
        200,
        True,
    )
    assert ListingSearchEntry.objects.count() == 0
