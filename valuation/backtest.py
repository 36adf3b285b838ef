"""The monthly back-test: sales closed in each past month against the model active then.

A sale is predicted by the newest CNY model created before its sale date, i.e. the model a
buyer would have seen that day (it cannot have learned from that sale). Months before the
first model say "no model" rather than back-filling with a model trained on them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
from dataclasses import dataclass

import numpy as np

from valuation import registry
from valuation.ml import ModelArtifactError, predict_frame
from valuation.ml.schema import CANONICAL_COLUMNS
from valuation.models import ModelVersion
from valuation.records import RECORD_FIELDS, frame_from_records, record_from_sale, sale_records


@dataclass(frozen=True)
class BacktestMonth:
    month: dt.date  # first day of the month
    n_sales: int
    model_versions: tuple[str, ...]  # empty = no model was active yet
    n_predicted: int
    median_error: float | None  # median of predicted/realised - 1
    median_abs_error: float | None
    within_10: float | None  # share of sales with |error| <= 10%
    within_20: float | None
    unavailable: bool = False  # a model existed but its artifact could not be loaded

    @staticmethod
    def _percent(value: float | None, *, signed: bool = False) -> str:
        if value is None:
            return ""
        text = f"{value * 100:+.1f}%" if signed else f"{value * 100:.1f}%"
        return text.replace("-", "−")

    @property
    def median_error_text(self) -> str:
        return self._percent(self.median_error, signed=True)

    @property
    def median_abs_error_text(self) -> str:
        return self._percent(self.median_abs_error)

    @property
    def within_10_text(self) -> str:
        return self._percent(self.within_10)

    @property
    def within_20_text(self) -> str:
        return self._percent(self.within_20)


def monthly_backtest(*, months: int = 24, today: dt.date | None = None) -> list[BacktestMonth]:
    """The last ``months`` calendar months before the current one, newest first."""
    today = today or dt.date.today()  # noqa: DTZ011 - callers pass the local date
    first = _add_months(today.replace(day=1), -months)
    end = today.replace(day=1)
    versions = list(ModelVersion.objects.filter(currency="CNY").order_by("created_at", "id"))
    starts = [version.created_at.date() for version in versions]
    rows = (
        sale_records()
        .filter(sold_at__gte=first, sold_at__lt=end)
        .order_by("sold_at", "id")
        .values(*RECORD_FIELDS)
    )
    by_month: dict[dt.date, list[tuple[ModelVersion | None, dict]]] = {}
    for row in rows:
        index = bisect.bisect_left(starts, row["sold_at"]) - 1
        version = versions[index] if index >= 0 else None
        by_month.setdefault(row["sold_at"].replace(day=1), []).append((version, row))
    result = []
    month = _add_months(end, -1)
    while month >= first:
        result.append(_score_month(month, by_month.get(month, [])))
        month = _add_months(month, -1)
    return result


def _score_month(month: dt.date, sales: list[tuple[ModelVersion | None, dict]]) -> BacktestMonth:
    groups: dict[int, tuple[ModelVersion, list[dict]]] = {}
    for version, row in sales:
        if version is not None:
            groups.setdefault(version.pk, (version, []))[1].append(row)
    errors: list[float] = []
    unavailable = False
    for version, rows in groups.values():
        try:
            model = registry.load_version(version)
        except ModelArtifactError:
            unavailable = True
            continue
        records = [record_from_sale(row) for row in rows]
        frame = frame_from_records(records)
        band = predict_frame(model, frame[list(CANONICAL_COLUMNS)])
        realised = np.array([float(row["price"]) for row in rows])
        errors.extend((band["p50"].to_numpy() / realised - 1).tolist())
    absolute = [abs(error) for error in errors]
    return BacktestMonth(
        month=month,
        n_sales=len(sales),
        model_versions=tuple(version.version for version, _rows in groups.values()),
        n_predicted=len(errors),
        median_error=statistics.median(errors) if errors else None,
        median_abs_error=statistics.median(absolute) if errors else None,
        within_10=sum(a <= 0.10 for a in absolute) / len(errors) if errors else None,
        within_20=sum(a <= 0.20 for a in absolute) / len(errors) if errors else None,
        unavailable=unavailable,
    )


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
