"""Recording a run of the public benchmark, so each model card shows its code's figures."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from core.errors import DomainError
from valuation.models import PipelineBenchmark
from valuation.services.common import code_version

REQUIRED_FIGURES = (
    "n_train",
    "n_test",
    "rmsle",
    "baseline_default_rmsle",
    "baseline_tuned_rmsle",
    "coverage_80",
    "median_interval_width_ratio",
    "train_seconds",
)


def valuation_benchmark_record(
    *, figures: Mapping[str, Any], protocol: str, version: str | None = None
) -> PipelineBenchmark:
    """Store one benchmark result (the command's JSON line) for the running code version.

    Refuses a result that lacks a figure or carries a non-finite one: a card must never show
    a half-measured benchmark."""
    missing = [key for key in REQUIRED_FIGURES if key not in figures]
    if missing:
        raise DomainError(_("基准结果缺少：%(keys)s") % {"keys": ", ".join(missing)})
    bad = [
        key
        for key in REQUIRED_FIGURES
        if not isinstance(figures[key], int | float) or not math.isfinite(figures[key])
    ]
    if bad:
        raise DomainError(_("基准结果不是有限数字：%(keys)s") % {"keys": ", ".join(bad)})
    return PipelineBenchmark.objects.create(
        code_version=version or code_version(),
        protocol=protocol[:200],
        figures={key: figures[key] for key in figures},
    )
