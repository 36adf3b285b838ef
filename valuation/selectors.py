"""Reads of the valuation app: forecasts for other apps, batch values for search and cards,
the stored back-test runs and the model versions behind the public model cards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from django.utils import timezone

from core.money import quantize_money
from marketplace.models import Listing, Machine
from valuation import registry
from valuation.ml import forecast_value, predict_frame
from valuation.models import (
    BacktestRun,
    ModelVersion,
    PipelineBenchmark,
    TrainingSource,
    Valuation,
)
from valuation.records import frame_from_records, record_from_machine

__all__ = [
    "Forecast",
    "ForecastPricePoint",
    "active_model_version",
    "latest_backtest_run",
    "latest_backtest_runs",
    "latest_listing_valuations",
    "machine_value_forecast",
    "model_version",
    "model_versions",
    "previous_model_version",
]


@dataclass(frozen=True)
class ForecastPricePoint:
    months: int
    p10: Decimal
    p50: Decimal
    p90: Decimal


@dataclass(frozen=True)
class Forecast:
    """Value of a machine now and after ``months`` more of its usual use (CNY)."""

    points: list[ForecastPricePoint]
    currency: str
    model_version: str


def machine_value_forecast(
    machine: Machine, months: Iterable[int] = (0, 12, 24, 36, 48, 60)
) -> Forecast | None:
    """Depreciation forecast of ``machine``; None when no model is available."""
    serving = registry.serving_model()
    if serving is None:
        return None
    record = record_from_machine(machine)
    points = forecast_value(
        serving.model, record, months=[int(m) for m in months], as_of=timezone.localdate()
    )
    return Forecast(
        points=[
            ForecastPricePoint(
                months=point.months,
                p10=quantize_money(point.p10),
                p50=quantize_money(point.p50),
                p90=quantize_money(point.p90),
            )
            for point in points
        ],
        currency=serving.version.currency,
        model_version=serving.version.version,
    )


def latest_listing_valuations(listing_ids: Iterable[int]) -> dict[int, Decimal]:
    """P50 per listing by the serving model: stored values first, the rest in one batch.

    Two queries plus one batch prediction, whatever the number of listings.
    """
    ids = sorted(set(listing_ids))
    if not ids:
        return {}
    serving = registry.serving_model()
    if serving is None:
        return {}
    stored = (
        Valuation.objects.filter(listing_id__in=ids, model_version=serving.version)
        .order_by("listing_id", "-created_at", "-id")
        .values_list("listing_id", "p50")
    )
    # Newest per listing; portable (DISTINCT ON exists only on PostgreSQL).
    result: dict[int, Decimal] = {}
    for listing_id, p50 in stored:
        result.setdefault(listing_id, p50)
    missing = [listing_id for listing_id in ids if listing_id not in result]
    if missing:
        result.update(_batch_values(serving, missing))
    return result


def _batch_values(serving: registry.ServingModel, listing_ids: list[int]) -> dict[int, Decimal]:
    listings = list(
        Listing.objects.filter(pk__in=listing_ids).select_related(
            "machine__equipment_model", "machine__brand", "machine__category"
        )
    )
    if not listings:
        return {}
    records = [record_from_machine(item.machine, listing=item) for item in listings]
    frame = frame_from_records(records)
    frame["sold_at"] = pd.NaT
    band = predict_frame(serving.model, frame, as_of=timezone.localdate())
    return {
        listing.pk: quantize_money(float(value))
        for listing, value in zip(listings, band["p50"], strict=True)
    }


def active_model_version() -> ModelVersion | None:
    return ModelVersion.objects.active().first()


def model_versions():
    return ModelVersion.objects.order_by("-created_at", "-id")


def model_version(version: str) -> ModelVersion | None:
    return ModelVersion.objects.filter(version=version).first()


def previous_model_version(version: ModelVersion) -> ModelVersion | None:
    """The version of the same source created just before ``version`` (None: the first)."""
    return (
        ModelVersion.objects.filter(source=version.source, created_at__lte=version.created_at)
        .exclude(pk=version.pk)
        .exclude(created_at=version.created_at, id__gt=version.pk)
        .order_by("-created_at", "-id")
        .first()
    )


def latest_backtest_run(source: str) -> BacktestRun | None:
    """The newest completed back-test of ``source``, its months loaded newest first."""
    run = BacktestRun.objects.succeeded().filter(source=source).first()
    if run is not None:
        run.month_rows = list(run.months.order_by("-month"))
    return run


def latest_backtest_runs() -> list[BacktestRun]:
    """The newest completed back-test of each training source that has one."""
    runs = (latest_backtest_run(source) for source in TrainingSource.values)
    return [run for run in runs if run is not None]


def benchmark_for(version: ModelVersion) -> tuple[PipelineBenchmark | None, bool]:
    """The public benchmark of the code that trained ``version``, and whether it is that
    code's own (False: the newest run of other code, shown as such; None: never run)."""
    own = PipelineBenchmark.objects.filter(code_version=version.code_version).first()
    if own is not None and version.code_version:
        return own, True
    return PipelineBenchmark.objects.first(), False


def today() -> dt.date:
    return timezone.localdate()
