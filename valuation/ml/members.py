"""The members of the valuation ensemble: how each is fitted, asked and stored.

Every member sees the same encoded feature matrix (``features.FeatureEncoder``) and predicts
``log1p(price)``; the model blends them with weights chosen on a later time window (see
``training``). They differ where it pays on real data (measured in docs/benchmarks.md):

* ``lightgbm_categorical`` reads category codes as categories (LightGBM's partition
  splits) and carries the monotone constraints in age, hours and condition grade.
* ``catboost`` (ordered target statistics for categories, symmetric trees) is the strongest
  single member on the Blue Book time splits. It carries *no* monotone constraints: with
  them its RMSLE on the February 2012 split went from 0.272 to 0.343, so they are not free
  there. ``model.forecast_value`` keeps the depreciation curve non-increasing on its own.

Measured and left out (docs/benchmarks.md): a LightGBM member on codes read as ordered
numbers (``categorical=False``; weight 0 on the calibration window) and an unconstrained
LightGBM with the tuned peer's tree shape (about 1% better on two of three time splits, but
13 s per fit, more than the 60 s training budget leaves beside CatBoost). CatBoost at depth
8 scored 0.001-0.003 better than depth 7 but trained 40% longer; depth 7 ships.

Members are stored in their libraries' own formats (LightGBM text, CatBoost's binary
``cbm``), never pickle; the artifact verifies the sha256 of the bytes it parses.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol

import lightgbm as lgb
import numpy as np

from .features import CATEGORICAL_FEATURES, FEATURES, MONOTONE_DECREASING

LIGHTGBM: Final = "lightgbm"
CATBOOST: Final = "catboost"
_VOLATILE_METADATA: Final = ("model_guid", "train_finish_time")
_CATEGORY_INDEX: Final = [FEATURES.index(name) for name in CATEGORICAL_FEATURES]


@dataclass(frozen=True)
class MemberSpec:
    """One member's recipe. ``rounds`` is its boosting rounds at the reference budget."""

    name: str
    kind: str
    rounds: int
    params: Mapping[str, Any] = field(default_factory=dict)
    categorical: bool = True
    monotone: bool = True


class Member(Protocol):
    spec: MemberSpec

    def predict(self, matrix: np.ndarray, *, threads: int) -> np.ndarray: ...

    def to_bytes(self) -> bytes: ...


@dataclass(frozen=True)
class LightGBMMember:
    spec: MemberSpec
    booster: lgb.Booster

    def predict(self, matrix: np.ndarray, *, threads: int) -> np.ndarray:
        return np.asarray(self.booster.predict(matrix, num_threads=threads), dtype=np.float64)

    def contributions(self, row: np.ndarray) -> np.ndarray:
        """SHAP values in log space, one per feature, then the bias."""
        return np.asarray(self.booster.predict(row, pred_contrib=True, num_threads=1)[0])

    def to_bytes(self) -> bytes:
        return self.booster.model_to_string().encode("utf-8")


@dataclass(frozen=True)
class CatBoostMember:
    spec: MemberSpec
    model: Any  # catboost.CatBoostRegressor

    def predict(self, matrix: np.ndarray, *, threads: int) -> np.ndarray:
        from catboost import Pool

        pool = Pool(catboost_matrix(matrix), cat_features=_CATEGORY_INDEX)
        return np.asarray(self.model.predict(pool, thread_count=threads), dtype=np.float64)

    def to_bytes(self) -> bytes:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "member.cbm"
            self.model.save_model(str(path), format="cbm")
            return path.read_bytes()


def fit_member(
    spec: MemberSpec,
    matrix: np.ndarray,
    target: np.ndarray,
    *,
    rounds: int,
    seed: int,
    threads: int,
) -> Member:
    """Fit one member; deterministic for the same inputs, seed and thread count."""
    if spec.kind == LIGHTGBM:
        dataset = lgb.Dataset(
            matrix,
            target,
            feature_name=list(FEATURES),
            categorical_feature=list(CATEGORICAL_FEATURES) if spec.categorical else [],
        )
        params = lightgbm_params(spec, seed=seed, threads=threads)
        return LightGBMMember(spec, lgb.train(params, dataset, num_boost_round=rounds))
    if spec.kind == CATBOOST:
        from catboost import CatBoostRegressor, Pool

        model = CatBoostRegressor(
            iterations=rounds,
            loss_function="RMSE",
            random_seed=seed,
            thread_count=threads,
            verbose=0,
            allow_writing_files=False,
            **dict(spec.params),
        )
        model.fit(Pool(catboost_matrix(matrix), target, cat_features=_CATEGORY_INDEX))
        metadata = model.get_metadata()
        for key in _VOLATILE_METADATA:  # a random id and the clock: same data, same bytes
            metadata[key] = ""
        return CatBoostMember(spec, model)
    raise ValueError(f"unknown member kind {spec.kind!r}")


def lightgbm_params(spec: MemberSpec, *, seed: int, threads: int) -> dict[str, Any]:
    monotone = [-1 if spec.monotone and name in MONOTONE_DECREASING else 0 for name in FEATURES]
    return {
        **spec.params,
        "monotone_constraints": monotone,
        "seed": seed,
        "num_threads": threads,
        "deterministic": True,
        "force_row_wise": True,
        "verbosity": -1,
    }


def member_from_bytes(spec: MemberSpec, content: bytes) -> Member:
    """Parse stored bytes; raises ``ValueError`` when they are not a model of that kind."""
    if spec.kind == LIGHTGBM:
        try:
            booster = lgb.Booster(model_str=content.decode("utf-8"))
        except (lgb.basic.LightGBMError, UnicodeDecodeError) as error:
            raise ValueError(f"not a LightGBM model ({error})") from error
        if booster.feature_name() != list(FEATURES):
            raise ValueError("the booster's features differ from the model card")
        return LightGBMMember(spec, booster)
    if spec.kind == CATBOOST:
        from catboost import CatBoostError, CatBoostRegressor

        model = CatBoostRegressor()
        try:
            model.load_model(blob=content)
        except CatBoostError as error:
            raise ValueError(f"not a CatBoost model ({error})") from error
        if list(model.feature_names_) != [str(index) for index in range(len(FEATURES))]:
            raise ValueError("the CatBoost model's feature count differs from the model card")
        return CatBoostMember(spec, model)
    raise ValueError(f"unknown member kind {spec.kind!r}")


def catboost_matrix(matrix: np.ndarray) -> np.ndarray:
    """CatBoost wants categories as integers: codes as int64 (unknown -1), numbers as floats."""
    table = matrix.astype(object)
    codes = matrix[:, _CATEGORY_INDEX]
    codes = np.where(np.isnan(codes), -1, codes).astype(np.int64)
    for position, column in enumerate(_CATEGORY_INDEX):
        table[:, column] = codes[:, position]
    return table


def spec_to_dict(spec: MemberSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "kind": spec.kind,
        "rounds": spec.rounds,
        "params": dict(spec.params),
        "categorical": spec.categorical,
        "monotone": spec.monotone,
    }


def spec_from_dict(state: Mapping[str, Any]) -> MemberSpec:
    return MemberSpec(
        name=str(state["name"]),
        kind=str(state["kind"]),
        rounds=int(state["rounds"]),
        params=dict(state.get("params", {})),
        categorical=bool(state.get("categorical", True)),
        monotone=bool(state.get("monotone", True)),
    )


def blend(predictions: Sequence[np.ndarray], weights: Sequence[float]) -> np.ndarray:
    """Weighted sum of member predictions (weights sum to 1)."""
    total = np.zeros_like(predictions[0], dtype=np.float64)
    for prediction, weight in zip(predictions, weights, strict=True):
        total += weight * prediction
    return total


def simplex_weights(count: int, step: int = 20) -> list[tuple[float, ...]]:
    """Every weight vector on a 1/step grid of the simplex (non-negative, summing to 1)."""
    if count == 1:
        return [(1.0,)]

    def parts(total: int, slots: int):
        if slots == 1:
            yield (total,)
            return
        for first in range(total + 1):
            for rest in parts(total - first, slots - 1):
                yield (first, *rest)

    return [tuple(part / step for part in split) for split in parts(step, count)]


def choose_weights(
    predictions: Sequence[np.ndarray], target: np.ndarray, *, step: int = 20
) -> tuple[float, ...]:
    """The simplex grid point with the lowest squared error on a later window.

    A coarse grid (0.05) with three members has 231 points: too few degrees of freedom to
    overfit a window of hundreds of sales, and the weights stay readable on the model card.
    Ties go to the first grid point, so the choice is deterministic.
    """
    grid = simplex_weights(len(predictions), step)
    errors = [float(np.mean((blend(predictions, weights) - target) ** 2)) for weights in grid]
    return grid[int(np.argmin(errors))]
