"""The trained residual-value model and everything that asks it for a price.

One ``ValuationModel`` holds the ensemble members (``members``) on ``log1p(price)``, their
blend weights (the blend is the P50) and two conformal offsets in log space that turn it
into a calibrated P10-P90 band (see ``training`` for why the band is not made adaptive).
It is never mutated after creation and safe to share between threads; the Django side
caches one per process and version.

The factors shown with a valuation (``Prediction.contributions``) are the SHAP values of
the LightGBM members, averaged with their blend weights. The CatBoost member's own SHAP
values cost 10-25 ms per machine, more than the whole online valuation budget, so its share
of the value is not broken down into factors; the effects are therefore an explanation of
the LightGBM part of the blend, not an exact decomposition of the P50.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final, NamedTuple

import numpy as np
import pandas as pd

from .checks import Reason, unusual_reasons
from .features import (
    FEATURES,
    NUMERIC_FEATURES,
    RECORD_CATEGORICALS,
    FeatureEncoder,
    RawFeatures,
    as_date,
    hours_per_year,
    raw_features,
)
from .members import LightGBMMember, Member, blend
from .snapshot import ensure_canonical

CARD_FORMAT: Final = "ironloop-valuation/2"
FORECAST_MONTHS: Final[tuple[int, ...]] = (0, 12, 24, 36, 48, 60)
TOP_CONTRIBUTIONS: Final = 5


class Contribution(NamedTuple):
    """One factor behind a valuation, e.g. ``("hours", 8200.0, -0.09)`` = hours cost 9%.

    ``effect`` is the relative change of the value attributed to the feature (a SHAP value
    in log space, turned into a fraction); ``value`` is what the record said (None = unknown).
    """

    feature: str
    value: Any
    effect: float


@dataclass(frozen=True)
class Prediction:
    """A valuation: P10/P50/P90 in the training currency, trust signal and explanation."""

    p10: float
    p50: float
    p90: float
    unusual: bool
    reasons: tuple[Reason, ...]
    contributions: tuple[Contribution, ...]
    model_version: str


@dataclass(frozen=True)
class ForecastPoint:
    """Expected value ``months`` from the valuation date, with the same calibrated band."""

    months: int
    age: float | None
    hours: float | None
    p10: float
    p50: float
    p90: float


class ValuationModel:
    """The members, their weights and the model card (vocabulary, usage norms, offsets,
    metrics, provenance)."""

    def __init__(
        self, members: Sequence[Member], weights: Sequence[float], card: dict[str, Any]
    ) -> None:
        if not members or len(members) != len(weights):
            raise ValueError("a model needs one weight per member")
        self.members = tuple(members)
        self.weights = tuple(float(weight) for weight in weights)
        self.card = card
        self.encoder = FeatureEncoder.from_dict(card["encoder"])
        self.offsets: dict[str, float] = {
            name: float(card["conformal"]["offsets"][name]) for name in ("lower", "upper")
        }
        explained = [
            (member, weight)
            for member, weight in zip(self.members, self.weights, strict=True)
            if isinstance(member, LightGBMMember) and weight > 0
        ]
        self._explained = explained or [
            (member, 1.0) for member in self.members if isinstance(member, LightGBMMember)
        ]
        card.setdefault("version", _version(self.members))

    @property
    def version(self) -> str:
        """Content-derived id (sha256 prefix of the members' bytes); store it with each
        valuation."""
        return str(self.card["version"])

    def log_value(self, matrix: np.ndarray) -> np.ndarray:
        """The blended P50 in log1p space for an encoded feature matrix."""
        threads = 1 if len(matrix) < 256 else int(self.card["training"]["n_jobs"])
        predictions = [member.predict(matrix, threads=threads) for member in self.members]
        return blend(predictions, self.weights)

    def log_predict(self, matrix: np.ndarray) -> dict[str, np.ndarray]:
        """Calibrated P10/P50/P90 in log1p space for an encoded feature matrix."""
        return log_band(self.log_value(matrix), self.offsets)

    def contributions(self, row: np.ndarray) -> np.ndarray:
        """Per-feature SHAP values (log space) of the LightGBM members, weight-averaged."""
        total = sum(weight for _member, weight in self._explained)
        values = [weight * member.contributions(row) for member, weight in self._explained]
        return np.sum(values, axis=0)[:-1] / total


def log_band(value: np.ndarray, offsets: Mapping[str, float]) -> dict[str, np.ndarray]:
    """The calibrated band around the P50, in log1p space."""
    return {"p10": value - offsets["lower"], "p50": value, "p90": value + offsets["upper"]}


def predict_frame(
    model: ValuationModel, frame: pd.DataFrame, *, as_of: date | None = None
) -> pd.DataFrame:
    """Value many canonical records at once; rows without ``sold_at`` are valued at ``as_of``.

    Returns a frame with columns p10, p50, p90 and the input's index.
    """
    canonical = ensure_canonical(frame)
    valuation_date = as_of or _today()
    records = [_dated(record, valuation_date) for record in canonical.to_dict("records")]
    rows = [raw_features(record) for record in records]
    band = model.log_predict(model.encoder.matrix(rows))
    prices = {name: _to_price(values) for name, values in band.items()}
    return pd.DataFrame(prices, index=frame.index, columns=["p10", "p50", "p90"])


def predict_one(
    model: ValuationModel, record: Mapping[str, Any], *, as_of: date | None = None
) -> Prediction:
    """Value one machine for online use (no pandas objects; about a millisecond).

    ``record`` uses the canonical keys; ``sold_at`` is the date the value is wanted for and
    defaults to ``as_of``, then to today (UTC).
    """
    dated = _dated(record, as_of or _today())
    raw = raw_features(dated)
    matrix = model.encoder.row(raw)
    band = model.log_predict(matrix)
    reasons = tuple(unusual_reasons(raw, model.card["profile"], dated))
    return Prediction(
        p10=float(_to_price(band["p10"])[0]),
        p50=float(_to_price(band["p50"])[0]),
        p90=float(_to_price(band["p90"])[0]),
        unusual=bool(reasons),
        reasons=reasons,
        contributions=tuple(_top_contributions(model.contributions(matrix), raw, dated)),
        model_version=model.version,
    )


def forecast_value(
    model: ValuationModel,
    record: Mapping[str, Any],
    *,
    months: Sequence[int] = FORECAST_MONTHS,
    as_of: date | None = None,
) -> list[ForecastPoint]:
    """Depreciation curve: the machine's value after it ages ``months`` more and keeps working.

    Age and hours advance together at the machine's own hours per year (or, when that is
    unknown, the typical rate for its category). The sale date stays at the valuation date
    on purpose: sale year is a market-level feature learned from the past, trees cannot
    extrapolate it (a later year just repeats the last year seen, plus noise from a thin
    last year), and we have no basis to forecast the market cycle. Holding it fixed shows
    pure depreciation in today's market. The curve never rises: the LightGBM members are
    monotone in age and hours, the CatBoost member is not (constraints cost it too much
    accuracy, see ``members``), so each point is capped at the one before it (``months``
    must be ascending). The band is today's calibrated band at each point; it does not
    include the market's own future uncertainty.
    """
    if list(months) != sorted(months):
        raise ValueError("forecast months must be ascending")
    base = raw_features(_dated(record, as_of or _today()))
    rate = _usage_rate(model.encoder, base)
    rows = [_advanced(base, step, rate) for step in months]
    value = np.minimum.accumulate(model.log_value(model.encoder.matrix(rows)))
    band = log_band(value, model.offsets)
    prices = {name: _to_price(values) for name, values in band.items()}
    return [
        ForecastPoint(
            months=int(step),
            age=None if math.isnan(row["age"]) else row["age"],
            hours=None if math.isnan(row["hours"]) else row["hours"],
            p10=float(prices["p10"][index]),
            p50=float(prices["p50"][index]),
            p90=float(prices["p90"][index]),
        )
        for index, (step, row) in enumerate(zip(months, rows, strict=True))
    ]


def _usage_rate(encoder: FeatureEncoder, raw: RawFeatures) -> float:
    """The machine's own hours per year once it has a year of history, else the norm."""
    own = raw["hours_per_year"]
    if not math.isnan(own) and raw["age"] >= 1:
        return float(own)
    return encoder.typical_hours_per_year(raw["category"])


def _advanced(raw: RawFeatures, months: int, rate: float) -> RawFeatures:
    years = months / 12
    age = raw["age"] + years
    hours = raw["hours"] + rate * years if not math.isnan(rate) else raw["hours"]
    return {**raw, "age": age, "hours": hours, "hours_per_year": hours_per_year(hours, age)}


def _top_contributions(
    shap: np.ndarray, raw: RawFeatures, record: Mapping[str, Any]
) -> Iterable[Contribution]:
    order = np.argsort(-np.abs(shap), kind="stable")[:TOP_CONTRIBUTIONS]
    for index in order:
        if shap[index] == 0:
            break
        name = FEATURES[index]
        yield Contribution(name, _display_value(name, raw, record), float(np.expm1(shap[index])))


def _display_value(name: str, raw: RawFeatures, record: Mapping[str, Any]) -> Any:
    """What the user entered, not the encoded number (unknown and imputed values -> None)."""
    if name == "condition_rank":
        return record.get("condition_grade") or None
    if name in NUMERIC_FEATURES:
        value = raw[name]
        return None if math.isnan(value) else value
    source = record if name in RECORD_CATEGORICALS else (record.get("attributes") or {})
    return source.get(name) or None


def _dated(record: Mapping[str, Any], valuation_date: date) -> dict[str, Any]:
    if as_date(record.get("sold_at")) is not None:
        return dict(record)
    return {**record, "sold_at": valuation_date}


def _today() -> date:
    return datetime.now(UTC).date()


def _to_price(log_values: np.ndarray) -> np.ndarray:
    return np.maximum(np.expm1(log_values), 0.0)


def _version(members: Sequence[Member]) -> str:
    digest = hashlib.sha256()
    for member in members:
        digest.update(member.to_bytes())
    return digest.hexdigest()[:16]
