"""The benchmark contract on the real auction data (skipped when ../shared is absent)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from benchmarks.tests.conftest import real_data

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


@pytest.fixture
def result(bluebook_result):
    return bluebook_result


@pytest.mark.slow
@real_data
def test_real_data_benchmark_via_the_command(result):
    assert list(result) == KEYS
    assert (result["n_train"], result["n_test"]) == (12162, 3867)  # fit < Feb 2012, score Feb
    assert 0.75 <= result["coverage_80"] <= 0.85
    assert result["train_seconds"] < 60


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


@pytest.mark.django_db
def test_record_stores_the_result_for_this_code_version(tmp_path, monkeypatch):
    """The recording path of the command, with the (minute-long) computation replaced."""
    from benchmarks.management.commands import valuation_benchmark as command
    from valuation.models import PipelineBenchmark
    from valuation.services import code_version

    figures = dict.fromkeys(KEYS, 0.5) | {"n_train": 12162, "n_test": 3867}
    monkeypatch.setattr(command, "run_benchmark", lambda train, test: figures)
    path = tmp_path / "train.csv"
    path.write_text("unused\n")

    call_command("valuation_benchmark", "--train", str(path), "--record", stdout=io.StringIO())

    stored = PipelineBenchmark.objects.get()
    assert (stored.code_version, stored.figures) == (code_version(), figures)
    assert stored.protocol.startswith("Blue Book train.csv: fit on sales before 2012-02-01")


@pytest.mark.django_db
def test_record_refuses_another_split(tmp_path):
    from django.core.management.base import CommandError

    from valuation.models import PipelineBenchmark

    path = tmp_path / "x.csv"
    path.write_text("unused\n")
    with pytest.raises(CommandError, match="--record only stores the default split"):
        call_command("valuation_benchmark", "--train", str(path), "--test", str(path), "--record")
    assert PipelineBenchmark.objects.count() == 0
