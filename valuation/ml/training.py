"""Training of the residual-value model: point model, then conformal calibration.

Why this shape:

* The target is ``log1p(price)``: price errors are multiplicative (10% on a mini excavator
  and on a mining dozer matter alike) and RMSLE is the yardstick.
* Monotone constraints make the LightGBM member never rise with age, hours or a worse
  condition grade. The CatBoost member carries none: they cost it far more accuracy than
  they are worth (``members``); the depreciation forecast is kept non-increasing on its own.
* The P50 is a blend of ensemble members (``members``: LightGBM and CatBoost); the blend
  weights are chosen on the calibration window below, by the probe members' errors there.
* P10/P90 come from split conformal calibration on a window that is *later* than the fit
  window: the earliest 85% of sales (by date) fit probe members, the latest 15% give the
  residual quantiles, one per tail, around the residuals' median (see
  ``conformal_offsets`` for why centred). The members are then refit on all sales with the
  same hyperparameters and the calibrated offsets are kept.
* The band width is deliberately the same (in log space) for every machine. On time
  splits of the Blue Book data (fit < 2010/2011/2012/2012-02, score the next period) we
  compared conformalised quantile models (CQR), normalised conformal with a model of
  |residual| (out-of-fold), and Mondrian bands per category or per "year known": none
  was both narrower and as well calibrated out of time. Price-level drift between periods
  dominates the error, and a difficulty model learned on one period mostly moves the band
  away from where the next period lands. Calibration matters more than width.
  Constant offsets also give P10 and P90 the same shape as the P50.
* Everything is deterministic: rows are put in a canonical order, the seed is fixed,
  LightGBM runs with ``deterministic=True`` and CatBoost's random model id and training
  clock are blanked; retraining on the same data gives the same model files.

Hyperparameters were chosen on those time-based splits of the Blue Book train.csv only,
never on random splits and never on any other data; they are shared by all splits rather
than tuned to one of them.
"""

from __future__ import annotations

import math
import platform
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, Final

import lightgbm as lgb
import numpy as np
import pandas as pd

from .features import (
    ALL_CATEGORIES,
    CATEGORICAL_FEATURES,
    FEATURES,
    MONOTONE_DECREASING,
    FeatureEncoder,
    RawFeatures,
    raw_features,
)
from .members import (
    CATBOOST,
    LIGHTGBM,
    Member,
    MemberSpec,
    blend,
    choose_weights,
    fit_member,
    spec_to_dict,
)
from .model import CARD_FORMAT, ValuationModel, log_band
from .snapshot import REQUIRED_TRAINING_COLUMNS, ensure_canonical, hash_lines, record_lines

VALUE_PARAMS: Final[Mapping[str, Any]] = MappingProxyType(
    {
        "objective": "regression",
        "learning_rate": 0.03,
        "num_leaves": 31,
        "min_data_in_leaf": 20,
        "feature_fraction": 0.5,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        "min_data_per_group": 100,
        "cat_smooth": 1.0,
        "cat_l2": 1.0,
        "max_cat_threshold": 16,
        "path_smooth": 1.0,
        "monotone_constraints_method": "basic",
    }
)
CATBOOST_PARAMS: Final[Mapping[str, Any]] = MappingProxyType(
    {"learning_rate": 0.08, "depth": 7, "max_ctr_complexity": 1, "rsm": 0.5}
)
# The reference budget: ``TrainConfig.rounds`` scales every member's rounds from these.
REFERENCE_ROUNDS: Final = 500
MEMBERS: Final[tuple[MemberSpec, ...]] = (
    MemberSpec("lightgbm_categorical", LIGHTGBM, REFERENCE_ROUNDS, VALUE_PARAMS),
    MemberSpec("catboost", CATBOOST, 1000, CATBOOST_PARAMS, monotone=False),
)


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides the model; defaults are the shipped production settings.

    ``rounds`` is the boosting budget of the lead member (the first); the other members'
    rounds scale with it (tests pass a small ``rounds`` to train in well under a second).
    ``params`` overrides the lead member's LightGBM parameters when given.
    """

    params: Mapping[str, Any] | None = None
    rounds: int = REFERENCE_ROUNDS
    members: tuple[MemberSpec, ...] = MEMBERS
    calibration_fraction: float = 0.15
    coverage: float = 0.80
    seed: int = 20240611
    n_jobs: int = 2
    rare_model_threshold: int = 5
    min_calibration_rows: int = 30

    def member_specs(self) -> tuple[MemberSpec, ...]:
        if self.params is None:
            return self.members
        lead, *rest = self.members
        return (replace(lead, params=dict(self.params)), *rest)

    def member_rounds(self, spec: MemberSpec) -> int:
        return max(1, round(spec.rounds * self.rounds / REFERENCE_ROUNDS))


DEFAULT_CONFIG: Final = TrainConfig()


@dataclass(frozen=True)
class _TrainingData:
    rows: list[RawFeatures]
    log_price: np.ndarray
    sold_at: pd.Series
    snapshot: str


@dataclass(frozen=True)
class _Stage:
    """The members fitted on one window, with the encoder they were fitted with."""

    encoder: FeatureEncoder
    members: tuple[Member, ...]

    def predictions(self, matrix: np.ndarray, threads: int) -> list[np.ndarray]:
        return [member.predict(matrix, threads=threads) for member in self.members]


def train(frame: pd.DataFrame, config: TrainConfig = DEFAULT_CONFIG) -> ValuationModel:
    """Train the production model on canonical sale records (needs ``price`` > 0).

    Raises ``ValueError`` when prices are missing or not positive, or when the data is too
    small to leave a calibration window.
    """
    started = time.perf_counter()
    data = _prepare(frame)
    fit_index, calibration_index = _time_split(data.sold_at, config)
    probe = _fit_stage(data, fit_index, config)
    calibration = _calibrate(probe, data, calibration_index, config)
    final = _fit_stage(data, np.arange(len(data.rows)), config)
    card = _card(data, final, calibration, config, fit_index, calibration_index)
    card["training_seconds"] = round(time.perf_counter() - started, 3)
    return ValuationModel(final.members, calibration["weights"], card)


def _prepare(frame: pd.DataFrame) -> _TrainingData:
    """Validate, then order rows by (sale date, content) so input order cannot matter.

    Sale dates come from the same per-record parsing the features use, so a time-zone
    aware ``sold_at`` from the database lands on the same day in both places.
    """
    canonical = ensure_canonical(frame, required=REQUIRED_TRAINING_COLUMNS)
    price = pd.to_numeric(canonical["price"], errors="coerce").to_numpy(dtype=np.float64)
    if not np.all(np.isfinite(price) & (price > 0)):
        raise ValueError("every training row needs a finite price greater than 0")
    rows = [raw_features(record) for record in canonical.to_dict("records")]
    if any(row["sale_date"] is None for row in rows):
        raise ValueError("every training row needs a sale date (sold_at)")
    lines = record_lines(canonical)
    order = sorted(range(len(rows)), key=lambda index: (rows[index]["sale_date"], lines[index]))
    return _TrainingData(
        rows=[rows[index] for index in order],
        log_price=np.log1p(price[order]),
        sold_at=pd.Series(pd.to_datetime([rows[index]["sale_date"] for index in order])),
        snapshot=hash_lines(lines),
    )


def _time_split(sold_at: pd.Series, config: TrainConfig) -> tuple[np.ndarray, np.ndarray]:
    """Earliest sales fit, latest calibrate; the cut falls between two sale dates."""
    cutoff = sold_at.quantile(1 - config.calibration_fraction, interpolation="higher")
    is_calibration = (sold_at >= cutoff).to_numpy()
    if is_calibration.all():
        is_calibration = (sold_at > cutoff).to_numpy()
    n_calibration = int(is_calibration.sum())
    if n_calibration < config.min_calibration_rows or n_calibration == len(sold_at):
        raise ValueError(
            f"need at least {config.min_calibration_rows} sales after the fit window to "
            f"calibrate the interval; got {n_calibration} of {len(sold_at)}"
        )
    return np.flatnonzero(~is_calibration), np.flatnonzero(is_calibration)


def _fit_stage(data: _TrainingData, index: np.ndarray, config: TrainConfig) -> _Stage:
    rows = [data.rows[i] for i in index]
    encoder = FeatureEncoder.fit(rows)
    matrix = encoder.matrix(rows)
    members = tuple(
        fit_member(
            spec,
            matrix,
            data.log_price[index],
            rounds=config.member_rounds(spec),
            seed=config.seed,
            threads=config.n_jobs,
        )
        for spec in config.member_specs()
    )
    return _Stage(encoder, members)


def _calibrate(
    stage: _Stage, data: _TrainingData, index: np.ndarray, config: TrainConfig
) -> dict[str, Any]:
    """Blend weights and split-conformal offsets on the later window, plus honest metrics.

    The probe members, fitted on the earlier window only, predict the later one; the blend
    weights are the simplex grid point with the lowest error there, and the conformal
    offsets are the blended residuals' quantiles. The reported ``coverage_80`` is measured
    out of sample: offsets from the first half of the window applied to its second half.
    The offsets actually shipped use the whole window.
    """
    matrix = stage.encoder.matrix([data.rows[i] for i in index])
    target = data.log_price[index]
    predictions = stage.predictions(matrix, config.n_jobs)
    weights = choose_weights(predictions, target)
    value = blend(predictions, weights)
    half = len(index) // 2
    early = conformal_offsets(target[:half], value[:half], config.coverage)
    late_band = log_band(value[half:], early)
    return {
        "weights": weights,
        "member_rmsle": [_rmse(prediction, target) for prediction in predictions],
        "offsets": conformal_offsets(target, value, config.coverage),
        "metrics": {
            "rmsle": _rmse(value, target),
            "coverage_80": _coverage(target[half:], late_band),
            "median_width_ratio": _median_width_ratio(late_band),
        },
    }


def conformal_offsets(
    target: np.ndarray, prediction: np.ndarray, coverage: float
) -> dict[str, float]:
    """Per-tail conformal offsets (log space) for a central ``coverage`` band.

    The residuals are first centred on their median. The probe members were fitted on the
    earlier window only, so a change of price level between the two windows (on the Blue
    Book data: a new data source arriving in January 2012) shows up as a shift of every
    calibration residual; the final members are refitted on all sales, the calibration
    window included, and have learnt that level, so what carries over to later sales is the
    spread around the shift, not the shift. Measured on the February 2012 split: the band
    from uncentred residuals covered 76.6% of February's sales (lower tail far too tight),
    from centred residuals 80.6%, and 12% narrower. Tails are still calibrated separately,
    so a skewed spread gives a skewed band. The finite-sample quantile ceil((n+1)(1-a))/n
    keeps the guarantee; an offset is clipped at 0 so the band always contains the P50.
    """
    tail = (1 - coverage) / 2
    residual = target - prediction
    centred = residual - float(np.median(residual))
    return {
        "lower": max(_conformal_quantile(-centred, tail), 0.0),
        "upper": max(_conformal_quantile(centred, tail), 0.0),
    }


def _conformal_quantile(scores: np.ndarray, tail: float) -> float:
    n = len(scores)
    level = min(math.ceil((n + 1) * (1 - tail)) / n, 1.0)
    return float(np.quantile(scores, level, method="higher"))


def _rmse(prediction: np.ndarray, target: np.ndarray) -> float:
    return float(np.sqrt(np.mean((prediction - target) ** 2)))


def _coverage(target: np.ndarray, band: Mapping[str, np.ndarray]) -> float:
    inside = (target >= band["p10"]) & (target <= band["p90"])
    return float(np.mean(inside))


def _median_width_ratio(band: Mapping[str, np.ndarray]) -> float:
    p10, p50, p90 = (np.expm1(band[name]) for name in ("p10", "p50", "p90"))
    return float(np.median((p90 - p10) / p50))


def _card(
    data: _TrainingData,
    final: _Stage,
    calibration: Mapping[str, Any],
    config: TrainConfig,
    fit_index: np.ndarray,
    calibration_index: np.ndarray,
) -> dict[str, Any]:
    metrics = {
        **calibration["metrics"],
        "n_train": len(data.rows),
        "n_fit_window": len(fit_index),
        "n_calibration": len(calibration_index),
    }
    return {
        "format": CARD_FORMAT,
        "features": list(FEATURES),
        "categorical_features": list(CATEGORICAL_FEATURES),
        "monotone_decreasing": sorted(MONOTONE_DECREASING),
        "encoder": final.encoder.to_dict(),
        "profile": _profile(data.rows, data.sold_at, config),
        "conformal": {"coverage": config.coverage, "offsets": calibration["offsets"]},
        "members": [
            {
                **spec_to_dict(member.spec),
                "rounds": config.member_rounds(member.spec),
                "weight": weight,
                "calibration_rmsle": member_rmsle,
            }
            for member, weight, member_rmsle in zip(
                final.members, calibration["weights"], calibration["member_rmsle"], strict=True
            )
        ],
        "metrics": metrics,
        "training": _training_settings(config, data, calibration_index),
        "versions": library_versions(),
        "data_snapshot_sha256": data.snapshot,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _training_settings(
    config: TrainConfig, data: _TrainingData, calibration_index: np.ndarray
) -> dict[str, Any]:
    return {
        "params": dict(config.member_specs()[0].params),
        "rounds": config.rounds,
        "seed": config.seed,
        "n_jobs": config.n_jobs,
        "calibration_fraction": config.calibration_fraction,
        "first_sale": data.sold_at.iloc[0].date().isoformat(),
        "calibration_from": data.sold_at.iloc[calibration_index[0]].date().isoformat(),
        "last_sale": data.sold_at.iloc[-1].date().isoformat(),
    }


def _profile(rows: list[RawFeatures], sold_at: pd.Series, config: TrainConfig) -> dict[str, Any]:
    """What "usual" looks like in the training data, for the unusual-input signal."""
    return {
        "rare_model_threshold": config.rare_model_threshold,
        "counts": {
            name: dict(Counter(row[name] for row in rows if row[name] is not None))
            for name in ("category", "model", "base_model")
        },
        "ranges": _ranges(rows),
        "last_sale": sold_at.iloc[-1].date().isoformat(),
    }


def _ranges(rows: list[RawFeatures]) -> dict[str, dict[str, list[float]]]:
    """1st-99th percentile of age, hours and hours per year, per category and overall."""
    groups: dict[str, list[RawFeatures]] = {ALL_CATEGORIES: rows}
    for row in rows:
        if row["category"] is not None:
            groups.setdefault(row["category"], []).append(row)
    return {name: _group_ranges(members) for name, members in groups.items()}


def _group_ranges(rows: list[RawFeatures]) -> dict[str, list[float]]:
    result = {}
    for name in ("age", "hours", "hours_per_year"):
        values = np.array([row[name] for row in rows], dtype=np.float64)
        values = values[~np.isnan(values)]
        if len(values) >= 20:
            result[name] = [float(np.percentile(values, 1)), float(np.percentile(values, 99))]
    return result


def library_versions() -> dict[str, str]:
    """Versions that can change predictions; stored so a mismatch can be diagnosed."""
    return {
        "python": platform.python_version(),
        "lightgbm": lgb.__version__,
        "catboost": _catboost_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
    }


def _catboost_version() -> str:
    import catboost

    return str(catboost.__version__)
