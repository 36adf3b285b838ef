"""Back-test of the shipped pipeline on real Blue Book auction data (skipped without the data).

The data lives beside the repository (``../shared/data/bluebook``), never inside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks.valuation import run_benchmark

BLUEBOOK = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "bluebook"
TRAIN_CSV = BLUEBOOK / "train.csv"

# What the shipped settings measure on the default split (fit < 2012-01-01, test 2012):
# RMSLE 0.3216. The guard catches regressions; the brief's 0.25 target is tracked below.
RMSLE_GUARD = 0.335
RMSLE_TARGET = 0.25

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not TRAIN_CSV.is_file(),
        reason=f"Blue Book data not found at {BLUEBOOK} (it lives in ../shared, outside the repo)",
    ),
]


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return run_benchmark(TRAIN_CSV)


def test_benchmark_uses_the_time_split(result: dict[str, Any]) -> None:
    assert result["n_train"] == 10_931
    assert result["n_test"] == 5_098


def test_interval_covers_about_80_percent_of_later_sales(result: dict[str, Any]) -> None:
    assert 0.75 <= result["coverage_80"] <= 0.85
    assert result["median_interval_width_ratio"] < 0.85


def test_accuracy_does_not_regress(result: dict[str, Any]) -> None:
    assert result["rmsle"] <= RMSLE_GUARD


@pytest.mark.xfail(
    strict=True,
    reason=(
        "RMSLE target 0.25 not reached (0.32 measured): 64% of the 2012 test sales come from "
        "a data source absent before 2012 that sells ~0.2 (log) higher; see benchmarks/valuation.py"
    ),
)
def test_accuracy_meets_the_target(result: dict[str, Any]) -> None:
    assert result["rmsle"] <= RMSLE_TARGET


def test_training_fits_the_time_budget(result: dict[str, Any]) -> None:
    assert result["train_seconds"] < 60
    assert result["predict_ms_per_row"] < 1.0
