"""The stored rolling-origin back-test of the shipped pipeline (valuation.backtesting)."""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from valuation.backtesting import MonthScore, rolling_origin, settings_used
from valuation.ml import (
    DEFAULT_CONFIG,
    TrainConfig,
    data_snapshot_hash,
)
from valuation.ml.schema import CANONICAL_COLUMNS
from valuation.models import (
    BacktestMonth,
    BacktestRun,
    BacktestStatus,
    TrainingSource,
)
from valuation.records import SOURCES, training_frame
from valuation.services.common import Progress, code_version, quiet

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- back-test

BACKTEST_MONTHS = 12


@dataclass(frozen=True)
class BacktestResult:
    run: BacktestRun | None
    skipped: bool
    message: str


def enqueue_backtest(source: str) -> None:
    # valuation.tasks imports this module; the task is looked up when a training commits.
    from valuation.tasks import valuation_backtest_task

    valuation_backtest_task.enqueue(source)


def valuation_backtest(
    *,
    source: str = TrainingSource.PLATFORM,
    months: int = BACKTEST_MONTHS,
    config: TrainConfig = DEFAULT_CONFIG,
    force: bool = True,
    progress: Progress = quiet,
) -> BacktestResult:
    """Run the rolling-origin back-test of ``source`` (valuation.backtesting) and store it.

    Takes one training per month, so minutes on real data: the figures are computed first,
    outside any transaction, then the run and its months are written in one. A failure is
    stored as a failed run and re-raised. Without ``force`` the run is skipped when the
    newest stored run saw the same data. Raises ``DomainError`` when there is nothing to
    back-test (no sales of the source).
    """
    if source not in SOURCES:
        raise DomainError(_("未知的训练数据来源：%(source)s") % {"source": source})
    if months < 1:
        raise DomainError(_("回测月数至少为 1。"))
    frame = training_frame(source)
    if frame.empty:
        raise DomainError(_("没有可回测的成交记录（%(source)s）。") % {"source": source})
    snapshot = data_snapshot_hash(frame[list(CANONICAL_COLUMNS)])
    latest = BacktestRun.objects.succeeded().filter(source=source).first()
    if not force and latest is not None and latest.data_snapshot_hash == snapshot:
        message = f"back-test data unchanged since run {latest.pk}; skipped"
        progress(message)
        return BacktestResult(latest, True, message)
    fields = {
        "source": source,
        "currency": SOURCES[source][1],
        "months_requested": months,
        "data_snapshot_hash": snapshot,
        "code_version": code_version(),
        "settings": settings_used(config),
    }
    progress(f"back-testing {source}: {len(frame):,} sales, up to {months} months")
    started = time.perf_counter()
    try:
        scores = list(
            rolling_origin(
                frame, months=months, config=config, progress=lambda s: progress(_line(s))
            )
        )
    except Exception as error:
        BacktestRun.objects.create(
            **fields,
            status=BacktestStatus.FAILED,
            error=str(error)[:2000],
            seconds=round(time.perf_counter() - started, 3),
            finished_at=timezone.now(),
        )
        raise
    with transaction.atomic():
        run = BacktestRun.objects.create(
            **fields,
            status=BacktestStatus.SUCCEEDED,
            seconds=round(time.perf_counter() - started, 3),
            finished_at=timezone.now(),
        )
        BacktestMonth.objects.bulk_create(
            BacktestMonth(run=run, **asdict(score)) for score in scores
        )
    message = f"stored back-test run {run.pk}: {len(scores)} months in {run.seconds:.1f} s"
    progress(message)
    return BacktestResult(run, False, message)


def _line(score: MonthScore) -> str:
    head = f"{score.month:%Y-%m}: train {score.n_train:,}, sales {score.n_sales:,}"
    if score.skipped_reason:
        return f"{head} — skipped ({score.skipped_reason}: {score.skipped_detail})"
    return (
        f"{head}, median error {score.median_error:+.1%}, "
        f"median |error| {score.median_abs_error:.1%}, within 10% {score.within_10:.0%}, "
        f"within 20% {score.within_20:.0%}, P10-P90 coverage {score.coverage:.0%}"
    )
