"""The rolling-origin back-test: for each month m, fit the shipped pipeline on the sales
closed before the first day of m and score the sales of m.

This is the question a buyer asks of a valuation ("how far off would it have been?")
answered without hindsight: a month's model never saw that month's sales, nor any later
one. No Django and no database here: the caller passes the canonical frame of one source
(``valuation.records.training_frame``) and stores the results (``services``).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from valuation.ml import TrainConfig, predict_frame, train
from valuation.ml.members import spec_to_dict
from valuation.ml.schema import CANONICAL_COLUMNS
from valuation.ml.training import library_versions

TOO_LITTLE_DATA = "too_little_data"


@dataclass(frozen=True)
class MonthScore:
    """One month's figures (shares and errors as fractions), or why there are none."""

    month: dt.date  # first day of the month
    n_train: int
    n_sales: int
    median_error: float | None = None  # median of P50 / price - 1
    median_abs_error: float | None = None
    within_10: float | None = None  # share of sales with |P50 / price - 1| <= 10%
    within_20: float | None = None
    coverage: float | None = None  # share of prices inside [P10, P90]
    skipped_reason: str = ""
    skipped_detail: str = ""


def month_start(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, 1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def months_with_sales(frame: pd.DataFrame, *, months: int) -> list[dt.date]:
    """The newest ``months`` calendar months that have at least one sale, newest first."""
    dates = pd.to_datetime(frame["sold_at"]).dropna()
    found = sorted({dt.date(day.year, day.month, 1) for day in dates}, reverse=True)
    return found[:months]


def score_sales(prices: np.ndarray, band: pd.DataFrame) -> dict[str, float]:
    """Figures of one month from realised prices and the predicted P10/P50/P90 band."""
    prices = np.asarray(prices, dtype=np.float64)
    errors = band["p50"].to_numpy(dtype=np.float64) / prices - 1
    absolute = np.abs(errors)
    inside = (band["p10"].to_numpy() <= prices) & (prices <= band["p90"].to_numpy())
    return {
        "median_error": float(statistics.median(errors.tolist())),
        "median_abs_error": float(statistics.median(absolute.tolist())),
        "within_10": float(np.mean(absolute <= 0.10)),
        "within_20": float(np.mean(absolute <= 0.20)),
        "coverage": float(np.mean(inside)),
    }


def rolling_origin(
    frame: pd.DataFrame,
    *,
    months: int,
    config: TrainConfig,
    progress: Callable[[MonthScore], None] | None = None,
) -> Iterator[MonthScore]:
    """Score each of the newest ``months`` months that have sales, newest first.

    A month whose earlier sales are too few to train on (``train`` raises ``ValueError``)
    is yielded as skipped with the reason, never with invented figures.
    """
    sold_at = pd.to_datetime(frame["sold_at"])
    canonical = frame[list(CANONICAL_COLUMNS)]
    for month in months_with_sales(frame, months=months):
        start = pd.Timestamp(month)
        end = pd.Timestamp(add_months(month, 1))
        history = canonical[(sold_at < start).to_numpy()]
        sales = canonical[((sold_at >= start) & (sold_at < end)).to_numpy()]
        score = _score_month(month, history, sales, config)
        if progress is not None:
            progress(score)
        yield score


def _score_month(
    month: dt.date, history: pd.DataFrame, sales: pd.DataFrame, config: TrainConfig
) -> MonthScore:
    counts = {"month": month, "n_train": len(history), "n_sales": len(sales)}
    try:
        if history.empty:
            raise ValueError("no sales before this month")
        model = train(history.reset_index(drop=True), config)
    except ValueError as error:
        return MonthScore(**counts, skipped_reason=TOO_LITTLE_DATA, skipped_detail=str(error))
    band = predict_frame(model, sales.reset_index(drop=True))
    return MonthScore(**counts, **score_sales(sales["price"].to_numpy(), band))


def settings_used(config: TrainConfig) -> dict:
    """The training settings stored with a run, so its figures can be reproduced."""
    return {
        "rounds": config.rounds,
        "seed": config.seed,
        "n_jobs": config.n_jobs,
        "calibration_fraction": config.calibration_fraction,
        "coverage": config.coverage,
        "members": [
            {**spec_to_dict(spec), "rounds": config.member_rounds(spec)}
            for spec in config.member_specs()
        ],
        "library_versions": library_versions(),
    }
