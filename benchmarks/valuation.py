"""The project's published back-test on the Blue Book data.

It trains the production pipeline exactly as shipped (same code, hyperparameters and seed)
on the training file and scores later sales, so the figures we publish describe the model
users get. It reads nothing but its two arguments.

Measured with the shipped settings (2 threads; fit before the date, score the period after):

    split (test period)     RMSLE   coverage_80  median (P90-P10)/P50
    2010                    0.291   0.682        0.584
    2011                    0.299   0.789        0.724
    2012 (default split)    0.323   0.770        0.720   (train ~10 s)
    Feb 2012 (fit < Feb)    0.276   0.799        0.798

The brief's RMSLE target of 0.25 on the default split is not reached. Measured here, a
plain default LightGBM on all raw columns scores 0.309 on that split (not the ~0.26 the
data README quotes; 0.219 on a random split), so the gap is not a tuning problem: 64% of
the 2012 test sales come from a data source (``datasource`` 149) that has no sales before
2012, sells about 0.2 (in log) above what earlier sales predict and almost never reports
hours, and the other 2012 sales sit ~0.08 above. No pre-2012 feature can know that. The
one source-specific trap we could remove, a learned penalty for "hours not reported", is
removed (see ``features.FeatureEncoder``; 0.343 -> 0.324 in our comparison). With one
month of the new sources in training (the Feb 2012 row) the error drops to 0.276. The
2010 row shows the other limit of out-of-time calibration: after the 2009 slump the 2010
recovery lies outside a band calibrated on slump-era sales.
"""

from __future__ import annotations

import os
import time
from datetime import datetime
from typing import Any, Final

import numpy as np
import pandas as pd

from valuation.ml.bluebook import read_bluebook_csv
from valuation.ml.model import predict_frame
from valuation.ml.training import DEFAULT_CONFIG, TrainConfig, train

DEFAULT_SPLIT: Final = datetime(2012, 1, 1)  # noqa: DTZ001 - sale dates are naive local dates

PathLike = str | os.PathLike[str]


def run_benchmark(
    train_csv: PathLike, test_csv: PathLike | None = None, *, config: TrainConfig = DEFAULT_CONFIG
) -> dict[str, Any]:
    """Train on TRAIN, score TEST; without TEST, sales before 2012-01-01 train and the rest test.

    Returns n_train, n_test, rmsle, coverage_80 (share of test prices inside [P10, P90]),
    median_interval_width_ratio (median of (P90 - P10) / P50), train_seconds and
    predict_ms_per_row (batch prediction).
    """
    train_frame, test_frame = _frames(train_csv, test_csv)
    started = time.perf_counter()
    model = train(train_frame, config)
    train_seconds = time.perf_counter() - started
    started = time.perf_counter()
    band = predict_frame(model, test_frame)
    predict_seconds = time.perf_counter() - started
    return {
        "n_train": len(train_frame),
        "n_test": len(test_frame),
        **score(test_frame["price"].to_numpy(dtype=np.float64), band),
        "train_seconds": round(train_seconds, 2),
        "predict_ms_per_row": round(1000 * predict_seconds / max(len(test_frame), 1), 4),
    }


def score(price: np.ndarray, band: pd.DataFrame) -> dict[str, float]:
    """RMSLE of P50, coverage of [P10, P90] and median relative width, on actual prices."""
    p10, p50, p90 = (band[name].to_numpy(dtype=np.float64) for name in ("p10", "p50", "p90"))
    return {
        "rmsle": round(float(np.sqrt(np.mean((np.log1p(p50) - np.log1p(price)) ** 2))), 4),
        "coverage_80": round(float(np.mean((price >= p10) & (price <= p90))), 4),
        "median_interval_width_ratio": round(float(np.median((p90 - p10) / p50)), 4),
    }


def _frames(train_csv: PathLike, test_csv: PathLike | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = read_bluebook_csv(train_csv)
    if test_csv is not None:
        test = read_bluebook_csv(test_csv)
        if test["price"].isna().any():
            raise ValueError(f"{test_csv}: the test file needs SalePrice for every row")
        return frame, test
    is_test = frame["sold_at"] >= pd.Timestamp(DEFAULT_SPLIT)
    return frame[~is_test].reset_index(drop=True), frame[is_test].reset_index(drop=True)
