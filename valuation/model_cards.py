"""What the public model card page shows for one model version, read defensively.

Figures come from the registry row (``ModelVersion``) and, when its artifact can be read,
from the saved model card (``card.json``). Card keys are read with ``.get`` because the
card format grows (``members`` is absent from the first format); a missing artifact leaves
the registry's figures only. The public benchmark comes from the stored run of the code
version that trained the model (``PipelineBenchmark``). Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from valuation import registry
from valuation.factors import LABELS
from valuation.formatting import decimal, percent
from valuation.ml import ModelArtifactError
from valuation.models import BacktestRun, ModelVersion, PipelineBenchmark, TrainingSource
from valuation.selectors import benchmark_for, latest_backtest_run, previous_model_version

# The model's quality figures, in the order shown: (key in the card, key in the registry).
METRICS = (
    ("rmsle", "rmsle", _("对数误差（RMSLE）")),
    ("coverage_80", "coverage_80", _("P10–P90 覆盖率")),
    ("median_width_ratio", "width", _("区间宽度中位数（占估值）")),
)
PERCENT_METRICS = {"coverage_80", "median_width_ratio"}
MEMBER_DESCRIPTIONS = {
    "lightgbm_categorical": _("LightGBM，文字字段按类别拆分；车龄、小时数和成色等级单调约束"),
    "catboost": _("CatBoost，文字字段用有序目标统计编码；无单调约束（约束会显著降低精度）"),
}


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    delta: str = ""


@dataclass(frozen=True)
class Changes:
    previous: ModelVersion
    metrics: list[Figure]
    n_sales: str
    features_added: list[str]
    features_removed: list[str]
    params_changed: list[tuple[str, str, str]]  # (name, before, after)
    params_known: bool  # both cards could be read


@dataclass(frozen=True)
class BacktestSummary:
    run: BacktestRun
    months_scored: int
    months_skipped: int
    n_sales: int
    median_abs_error: str
    within_10: str
    within_20: str
    coverage: str


@dataclass
class ModelCardView:
    version: ModelVersion
    card: dict[str, Any]
    artifact_error: str = ""
    n_sales: int = 0
    metrics: list[Figure] = field(default_factory=list)
    monotone: list[str] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    benchmark: list[Figure] = field(default_factory=list)
    benchmark_protocol: str = ""
    benchmark_run: PipelineBenchmark | None = None
    benchmark_is_own: bool = False
    backtest: BacktestSummary | None = None
    changes: Changes | None = None
    training: dict[str, Any] = field(default_factory=dict)
    params: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_external(self) -> bool:
        return self.version.source == TrainingSource.EXTERNAL


def _metric_text(key: str, value: Any, *, signed: bool = False) -> str:
    if key in PERCENT_METRICS:
        return percent(value, signed=signed)
    return decimal(value, signed=signed)


def card_of(version: ModelVersion) -> tuple[dict[str, Any], str]:
    """The saved card of ``version`` (or {}) and the reason it could not be read."""
    try:
        card = registry.load_version(version).card
    except ModelArtifactError as error:
        return {}, str(error)
    return (card if isinstance(card, dict) else {}), ""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def metric_values(version: ModelVersion, card: dict[str, Any]) -> dict[str, Any]:
    """The quality figures by card key, from the card, else from the registry row."""
    from_card = _dict(card.get("metrics"))
    stored = _dict(version.metrics)
    return {key: from_card.get(key, stored.get(db_key)) for key, db_key, _label in METRICS}


def sales_count(version: ModelVersion, card: dict[str, Any]) -> int:
    """Every sale the model learned from (fit window plus calibration window)."""
    value = _dict(card.get("metrics")).get("n_train", _dict(version.metrics).get("n_rows"))
    if isinstance(value, int | float):
        return int(value)
    return version.n_train + version.n_calibration


def model_card_view(version: ModelVersion) -> ModelCardView:
    card, error = card_of(version)
    training = _dict(card.get("training"))
    view = ModelCardView(version=version, card=card, artifact_error=error, training=training)
    view.n_sales = sales_count(version, card)
    values = metric_values(version, card)
    view.metrics = [
        Figure(str(label), _metric_text(key, values[key])) for key, _db, label in METRICS
    ]
    view.monotone = [str(LABELS.get(name, name)) for name in card.get("monotone_decreasing") or []]
    view.components = [
        {
            **item,
            "weight_text": decimal(item.get("weight"), 2),
            "description": MEMBER_DESCRIPTIONS.get(str(item.get("name")), ""),
            "calibration_text": decimal(item.get("calibration_rmsle")),
        }
        for item in card.get("members") or []
        if isinstance(item, dict)
    ]
    view.params = [(str(k), str(v)) for k, v in sorted(_dict(training.get("params")).items())]
    benchmark, own = benchmark_for(version)
    if benchmark is not None:
        _add_benchmark(view, {"protocol": benchmark.protocol, **_dict(benchmark.figures)})
        view.benchmark_run = benchmark
        view.benchmark_is_own = own
    view.backtest = backtest_summary(latest_backtest_run(version.source))
    previous = previous_model_version(version)
    if previous is not None:
        view.changes = changes(version, card, previous)
    return view


def _add_benchmark(view: ModelCardView, benchmark: dict[str, Any]) -> None:
    if not benchmark:
        return
    view.benchmark_protocol = str(benchmark.get("protocol") or "")
    rows = (
        ("rmsle", _("对数误差（RMSLE），本模型")),
        ("baseline_default_rmsle", _("对照：默认参数 LightGBM")),
        ("baseline_tuned_rmsle", _("对照：调参后 LightGBM")),
        ("coverage_80", _("P10–P90 覆盖率")),
        ("median_interval_width_ratio", _("区间宽度中位数（占估值）")),
    )
    for key, label in rows:
        if key in benchmark:
            text = (
                percent(benchmark[key])
                if key in ("coverage_80", "median_interval_width_ratio")
                else decimal(benchmark[key])
            )
            view.benchmark.append(Figure(str(label), text))
    for key, label in (("n_train", _("训练样本数")), ("n_test", _("测试样本数"))):
        if isinstance(benchmark.get(key), int | float):
            view.benchmark.append(Figure(str(label), f"{int(benchmark[key]):,}"))


def backtest_summary(run: BacktestRun | None) -> BacktestSummary | None:
    """Pooled figures of a stored run: shares weighted by each month's sales."""
    if run is None:
        return None
    rows = getattr(run, "month_rows", None) or list(run.months.all())
    scored = [row for row in rows if not row.skipped]
    n_sales = sum(row.n_sales for row in scored)

    def pooled(name: str) -> str:
        if not n_sales:
            return ""
        return percent(sum(getattr(row, name) * row.n_sales for row in scored) / n_sales)

    medians = sorted(row.median_abs_error for row in scored)
    middle = len(medians) // 2
    median = (
        (medians[middle] if len(medians) % 2 else (medians[middle - 1] + medians[middle]) / 2)
        if medians
        else None
    )
    return BacktestSummary(
        run=run,
        months_scored=len(scored),
        months_skipped=len(rows) - len(scored),
        n_sales=n_sales,
        median_abs_error=percent(median),
        within_10=pooled("within_10"),
        within_20=pooled("within_20"),
        coverage=pooled("coverage"),
    )


def changes(version: ModelVersion, card: dict[str, Any], previous: ModelVersion) -> Changes:
    """What changed since ``previous`` (same source, created before): figures, data, setup."""
    previous_card, _error = card_of(previous)
    now, before = metric_values(version, card), metric_values(previous, previous_card)
    metrics = []
    for key, _db, label in METRICS:
        delta = ""
        if isinstance(now[key], int | float) and isinstance(before[key], int | float):
            delta = _metric_text(key, now[key] - before[key], signed=True)
        metrics.append(Figure(str(label), _metric_text(key, now[key]), delta))
    n_now, n_before = sales_count(version, card), sales_count(previous, previous_card)
    features_now, features_before = list(version.features or []), list(previous.features or [])
    params_known = bool(card) and bool(previous_card)
    return Changes(
        previous=previous,
        metrics=metrics,
        n_sales=f"{n_now - n_before:+,}".replace("-", "−"),
        features_added=[name for name in features_now if name not in features_before],
        features_removed=[name for name in features_before if name not in features_now],
        params_changed=_params_changed(card, previous_card) if params_known else [],
        params_known=params_known,
    )


def _settings(card: dict[str, Any]) -> dict[str, Any]:
    training = _dict(card.get("training"))
    result = {f"params.{k}": v for k, v in _dict(training.get("params")).items()}
    for key in ("rounds", "seed", "calibration_fraction"):
        if key in training:
            result[key] = training[key]
    return result


def _params_changed(card: dict[str, Any], previous_card: dict[str, Any]) -> list[tuple]:
    now, before = _settings(card), _settings(previous_card)
    missing = "—"
    return [
        (name, str(before.get(name, missing)), str(now.get(name, missing)))
        for name in sorted(set(now) | set(before))
        if now.get(name) != before.get(name)
    ]
