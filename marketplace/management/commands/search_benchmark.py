"""``manage.py search_benchmark``: faceted search latency on N generated listings."""

import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from marketplace.catalog import catalog_sync
from marketplace.search.benchmark import (
    benchmark_cleanup,
    benchmark_count,
    benchmark_seed,
    percentile,
    query_mix,
    time_baseline,
    time_queries,
)
from marketplace.search.sync import rebuild_index


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
            timings = time_queries(query_mix(queries, seed=options["seed"]), log)
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
            "facet_cache": settings.SEARCH_BACKEND == "database"
            and getattr(settings, "SEARCH_FACET_CACHE_SECONDS", None) != 0,
        }
        self.stdout.write(json.dumps(line))

    def _analyze(self) -> None:
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def _log(self, message: str) -> None:
        sys.stderr.write(f"{message}\n")
        sys.stderr.flush()
