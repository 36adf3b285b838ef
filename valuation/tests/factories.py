"""Factories of the valuation app's registry and back-test rows (no artifact files)."""

import datetime as dt

import factory

from valuation.models import BacktestMonth, BacktestRun, BacktestStatus, ModelVersion


class ModelVersionFactory(factory.django.DjangoModelFactory):
    """A registry row whose artifact directory does not exist (the card page must cope)."""

    class Meta:
        model = ModelVersion

    version = factory.Sequence(lambda n: f"20260101-0000{n:02d}-test{n:04d}")
    artifact_path = factory.LazyAttribute(lambda o: o.version)
    artifact_sha256 = "0" * 64
    data_snapshot_hash = "a1" * 32
    n_train = 850
    n_calibration = 150
    currency = "CNY"
    source = "platform"
    features = factory.LazyFunction(lambda: ["age", "hours", "brand"])
    metrics = factory.LazyFunction(
        lambda: {"rmsle": 0.25, "coverage_80": 0.8, "width": 0.6, "n_rows": 1000}
    )
    library_versions = factory.LazyFunction(lambda: {"lightgbm": "4.6.0"})
    code_version = "git:0123456789ab"


class BacktestRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BacktestRun

    source = "platform"
    currency = "CNY"
    status = BacktestStatus.SUCCEEDED
    months_requested = 2
    data_snapshot_hash = "b2" * 32
    code_version = "git:0123456789ab"
    settings = factory.LazyFunction(lambda: {"rounds": 40})
    seconds = 12.5


class BacktestMonthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BacktestMonth

    run = factory.SubFactory(BacktestRunFactory)
    month = dt.date(2026, 10, 1)
    n_train = 900
    n_sales = 100
    median_error = -0.034
    median_abs_error = 0.081
    within_10 = 0.58
    within_20 = 0.86
    coverage = 0.79
