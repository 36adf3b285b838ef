"""Concurrent bidding benchmark (PostgreSQL only): one thread per bidder against one lot."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from benchmarks.trading import run_benchmark


class Command(BaseCommand):
    help = (
        "Run concurrent bidders against one lot through the bidding services and check the result."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bidders", type=int, default=50)
        parser.add_argument("--bids-per-bidder", type=int, default=20)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--keep", action="store_true", help="keep the benchmark lot and bidders"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON line")

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "trading_benchmark needs PostgreSQL (set DATABASE_URL to a postgres:// URL)."
            )
        if options["bidders"] < 2 or options["bids_per_bidder"] < 1:
            raise CommandError("--bidders must be at least 2 and --bids-per-bidder at least 1.")
        if not options["json"]:
            self.stdout.write(f"{options['bidders']} bidders × {options['bids_per_bidder']} bids …")
        result = run_benchmark(
            bidders=options["bidders"],
            bids_per_bidder=options["bids_per_bidder"],
            seed=options["seed"],
            keep=options["keep"],
        ).as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            for key, value in result.items():
                self.stdout.write(f"{key}: {value}")
        if not result["winner_ok"]:
            raise CommandError("the final price or winner does not follow the proxy rule")
