"""``manage.py search_benchmark``: faceted search latency on N generated listings."""

import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from benchmarks.search import (
    benchmark_cleanup,
    benchmark_count,
    benchmark_seed,
    percentile,
    query_mix,
    time_baseline,
    time_queries,
)
from marketplace.catalog import catalog_sync
from search.backends.database import FACET_CACHE_SECONDS
from search.models import ListingSearchDocument, ListingSearchEntry
from search.sync import rebuild_index


class Command(BaseCommand):
    help = (
        "Create N marked listings in the configured database, index them, run a fixed mix of "
        "faceted queries and print one JSON line with p50/p95 latency and the baseline (the "
        "bare ORM query 'newest 20 published listings'). The data is removed afterwards."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--listings", type=int, default=10000)
        parser.add_argument("--queries", type=int, default=250)
        parser.add_argument("--seed", type=int, default=20260101)
        parser.add_argument("--json", action="store_true", help="print only the JSON line")
        parser.add_argument("--keep", action="store_true", help="keep the generated data")
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="reuse data kept by an earlier --keep run with the same --listings",
        )
        parser.add_argument(
            "--no-facet-cache",
            action="store_true",
            help="database backend: count facets for every query (no reuse across pages/sorts)",
        )
        parser.add_argument(
            "--reuse-index",
            action="store_true",
            help="with --reuse: the index of that run is current too, skip indexing",
        )

    def handle(self, *args: object, **options: object) -> None:
        count, queries = options["listings"], options["queries"]
        if options["no_facet_cache"]:
            settings.SEARCH_FACET_CACHE_SECONDS = 0
        cache_seconds = getattr(settings, "SEARCH_FACET_CACHE_SECONDS", FACET_CACHE_SECONDS)
        cache_on = settings.SEARCH_BACKEND == "database" and cache_seconds != 0
        if count < 1 or queries < 200:
            raise CommandError("--listings must be at least 1 and --queries at least 200.")
        log = self._log
        catalog_sync()
        reuse = options["reuse"] and benchmark_count() == count
        if not reuse:
            benchmark_cleanup(log)
        try:
            if not reuse:
                benchmark_seed(count, seed=options["seed"], log=log)
            if not (reuse and options["reuse_index"]):
                log("indexing…")
                rebuild_index(lambda done, total: done == total and log(f"indexed {done}"))
            self._analyze()
            mix = query_mix(queries, seed=options["seed"])
            warmup = query_mix(10, seed=options["seed"] + 1)
            timings = time_queries(mix, log, warmup=warmup)
            uncached = None
            if cache_on:
                # The same mix again with every facet count computed: what a user gets after
                # any index write has invalidated the cached counts.
                log("again without the facet cache…")
                settings.SEARCH_FACET_CACHE_SECONDS = 0
                try:
                    uncached = time_queries(mix, log, warmup=warmup)
                finally:
                    settings.SEARCH_FACET_CACHE_SECONDS = cache_seconds
            baseline = time_baseline(queries)
        finally:
            if not options["keep"]:
                benchmark_cleanup(log)
                rebuild_index()
        line = {
            "backend": settings.SEARCH_BACKEND,
            "listings": count,
            "queries": len(timings),
            "p50_ms": round(percentile(timings, 0.50), 2),
            "p95_ms": round(percentile(timings, 0.95), 2),
            "baseline_p95_ms": round(percentile(baseline, 0.95), 2),
            "facet_cache": cache_on,
        }
        if uncached is not None:
            line["uncached_p50_ms"] = round(percentile(uncached, 0.50), 2)
            line["uncached_p95_ms"] = round(percentile(uncached, 0.95), 2)
        self.stdout.write(json.dumps(line))

    def _analyze(self) -> None:
        """After the bulk load: what autovacuum would soon do on a real deployment (visibility
        map, dead row versions left by the index writes' updates, planner statistics)."""
        if connection.vendor != "postgresql":
            return
        tables = [model._meta.db_table for model in (ListingSearchEntry, ListingSearchDocument)]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
            cursor.execute("ANALYZE")

    def _log(self, message: str) -> None:
        sys.stderr.write(f"{message}\n")
        sys.stderr.flush()
