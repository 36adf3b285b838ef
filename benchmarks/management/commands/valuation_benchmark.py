import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from benchmarks.valuation import PROTOCOL, run_benchmark


class Command(BaseCommand):
    help = (
        "Offline: train the production pipeline on TRAIN (Blue Book CSV format) and score TEST "
        "(default: TRAIN's sales from 2012-02-01 on) beside two plain LightGBM peers on the same "
        "rows; reads nothing but its two arguments. "
        "--online: p95 latency of one listing valuation with comparables, on the database."
    )
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("--train", metavar="TRAIN.csv")
        parser.add_argument("--test", metavar="TEST.csv")
        parser.add_argument("--json", action="store_true", help="print one JSON line last")
        parser.add_argument(
            "--record",
            action="store_true",
            help="store the result for this code version (shown on the public model cards); "
            "only for the default split of the Blue Book train.csv",
        )
        parser.add_argument("--online", action="store_true")
        parser.add_argument("--repeat", type=int, default=200, help="online: valuations to time")

    def handle(self, *args, **options):
        if options["online"]:
            result = self._online(options["repeat"])
        else:
            if not options["train"]:
                raise CommandError("--train TRAIN.csv is required (or --online)")
            if options["record"] and options["test"]:
                raise CommandError("--record only stores the default split (leave out --test)")
            self.stderr.write(f"training on {options['train']} …")
            try:
                result = run_benchmark(options["train"], options["test"])
            except FileNotFoundError as error:
                raise CommandError(f"file not found: {error.filename}") from error
            except ValueError as error:
                raise CommandError(str(error)) from error
            if options["record"]:
                self._record(result, options)
        if options["json"]:
            self.stdout.write(json.dumps(result, sort_keys=False))
        else:
            for key, value in result.items():
                self.stdout.write(f"{key}: {value}")

    def _record(self, result: dict, options: dict) -> None:
        from core.errors import DomainError
        from valuation.services import valuation_benchmark_record

        try:
            valuation_benchmark_record(figures=result, protocol=PROTOCOL)
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stderr.write("recorded for this code version")

    def _online(self, repeat: int) -> dict:
        from marketplace.models import Listing
        from valuation.registry import serving_model
        from valuation.services import valuation_for_listing

        if serving_model() is None:
            raise CommandError("no active valuation model: run manage.py valuation_train first")
        listings = list(
            Listing.objects.published()
            .select_related("machine__equipment_model", "machine__brand", "machine__category")
            .order_by("id")[:repeat]
        )
        if not listings:
            raise CommandError("no published listings to value")
        timings = []
        with transaction.atomic():
            valuation_for_listing(listings[0])  # load the model once: lazy loading is not timed
            for index in range(repeat):
                started = time.perf_counter()
                valuation_for_listing(listings[index % len(listings)])
                timings.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)  # timing runs leave no valuation rows behind
        timings.sort()
        return {
            "n": len(timings),
            "listings": len(listings),
            "p50_ms": round(timings[len(timings) // 2], 2),
            "p95_ms": round(timings[min(int(len(timings) * 0.95), len(timings) - 1)], 2),
            "max_ms": round(timings[-1], 2),
        }
