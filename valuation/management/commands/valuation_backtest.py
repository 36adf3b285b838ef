import json
from dataclasses import replace

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from valuation.ml import DEFAULT_CONFIG
from valuation.models import TrainingSource
from valuation.services import BACKTEST_MONTHS, valuation_backtest


class Command(BaseCommand):
    help = (
        "Rolling-origin back-test: for each of the last N months with sales, train on the "
        "sales before that month and score that month's sales; stores the run for "
        "/valuation/backtest/. One progress line per month (on stderr with --json)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", choices=TrainingSource.values, default=TrainingSource.PLATFORM
        )
        parser.add_argument("--months", type=int, default=BACKTEST_MONTHS)
        parser.add_argument(
            "--rounds", type=int, default=DEFAULT_CONFIG.rounds, help="boosting rounds per fit"
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the stored run as JSON"
        )

    def handle(self, *args, source: str, months: int, rounds: int, as_json: bool, **options):
        out = self.stderr if as_json else self.stdout
        config = replace(DEFAULT_CONFIG, rounds=rounds)
        try:
            result = valuation_backtest(
                source=source, months=months, config=config, progress=out.write
            )
        except (DomainError, ValueError) as error:
            raise CommandError(str(error)) from error
        if as_json:
            self.stdout.write(_dumps(result.run))


def _dumps(run) -> str:
    months = [
        {
            "month": f"{row.month:%Y-%m}",
            "n_train": row.n_train,
            "n_sales": row.n_sales,
            "median_error": row.median_error,
            "median_abs_error": row.median_abs_error,
            "within_10": row.within_10,
            "within_20": row.within_20,
            "coverage": row.coverage,
            "skipped_reason": row.skipped_reason,
        }
        for row in run.months.order_by("-month")
    ]
    document = {
        "run": run.pk,
        "source": run.source,
        "currency": run.currency,
        "status": run.status,
        "seconds": run.seconds,
        "code_version": run.code_version,
        "settings": run.settings,
        "months": months,
    }
    return json.dumps(document, ensure_ascii=False)
