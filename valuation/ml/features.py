"""Features for the residual-value model, built identically for training and for one listing.

Every record goes through one per-record function (``raw_features``), so batch training and
online valuation cannot drift apart. Categorical values are encoded against a vocabulary
frozen at training time and saved with the model: a brand the model has never seen becomes
"unknown" (NaN) instead of raising or, worse, silently taking another brand's code.

Year of manufacture is deliberately *not* a feature: with sale date fixed, age and year
made carry the same information, and only age can carry the "older is worth less"
monotone constraint. Hours per year is computed (for the unusual-input check and the
depreciation forecast) but not fed to the model: "more hours per year" would push value
*up* as age grows at fixed hours and break the monotone guarantee in age.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, Final

import numpy as np
import pandas as pd

from .schema import ATTRIBUTE_KEYS, CONDITION_GRADES, EVIDENCE_KEYS

NUMERIC_FEATURES: Final[tuple[str, ...]] = (
    "age",
    "hours",
    "sale_year",
    "sale_month",
    "condition_rank",
    "is_remanufactured",
    "class_size_low",
    "class_size_high",
    "model_number",
    "sale_elapsed",
    *EVIDENCE_KEYS,
)
RECORD_CATEGORICALS: Final[tuple[str, ...]] = (
    "category",
    "size_class",
    "brand",
    "model",
    "base_model",
    "region",
    "emission_stage",
    "sale_channel",
)
CATEGORICAL_FEATURES: Final[tuple[str, ...]] = (*RECORD_CATEGORICALS, *ATTRIBUTE_KEYS)
FEATURES: Final[tuple[str, ...]] = (*NUMERIC_FEATURES, *CATEGORICAL_FEATURES)

# -1 = predicted value may never rise when the feature rises (LightGBM monotone_constraints).
MONOTONE_DECREASING: Final[frozenset[str]] = frozenset({"age", "hours", "condition_rank"})

# Values computed per record for explanations and checks, but not given to the model.
CONTEXT_FIELDS: Final[tuple[str, ...]] = ("hours_per_year", "year", "sale_date")

_MISSING_TOKENS: Final[frozenset[str]] = frozenset({"", "unknown", "nan", "<na>", "n/a"})
_SPACES = re.compile(r"\s+")
_FIRST_NUMBER = re.compile(r"\d+")
_CLASS_RANGE = re.compile(r"-\s*(\d+(?:\.\d+)?)\s*(?:to\s*(\d+(?:\.\d+)?))?")
_EPOCH: Final = date(2000, 1, 1)
_GRADE_RANK: Final[dict[str, float]] = {
    grade.casefold(): float(rank) for rank, grade in enumerate(CONDITION_GRADES, start=1)
}

ALL_CATEGORIES: Final = "*"

Vocabulary = dict[str, list[str]]
RawFeatures = dict[str, Any]


def raw_features(record: Mapping[str, Any]) -> RawFeatures:
    """Derive model inputs from one canonical record (numbers as float, categories as tokens).

    Unknown year gives NaN age (never a guessed one); an age below zero (year made after the
    sale, a data error) is clipped to 0; zero or missing hours mean "not reported" -> NaN.
    """
    sale_date = as_date(record.get("sold_at"))
    year = _as_year(record.get("year"))
    attributes = record.get("attributes") or {}
    hours = _positive_or_nan(record.get("hours"))
    age = max(float(sale_date.year - year), 0.0) if sale_date and year else math.nan
    base_model = _token(record.get("base_model")) or _token(record.get("model"))
    low, high = _class_range(attributes.get("product_class"))
    raw: RawFeatures = {
        "age": age,
        "hours": hours,
        "sale_year": float(sale_date.year) if sale_date else math.nan,
        "sale_month": float(sale_date.month) if sale_date else math.nan,
        "condition_rank": _GRADE_RANK.get(_token(record.get("condition_grade")) or "", math.nan),
        "is_remanufactured": 1.0 if _truthy(record.get("is_remanufactured")) else 0.0,
        "class_size_low": low,
        "class_size_high": high,
        "model_number": _first_number(base_model),
        "sale_elapsed": float((sale_date - _EPOCH).days) if sale_date else math.nan,
        "hours_per_year": hours_per_year(hours, age),
        "year": year,
        "sale_date": sale_date,
    }
    raw.update({name: _token(record.get(name)) for name in RECORD_CATEGORICALS})
    raw["base_model"] = base_model
    raw.update({key: _token(attributes.get(key)) for key in ATTRIBUTE_KEYS})
    raw.update({key: _number_or_nan(attributes.get(key)) for key in EVIDENCE_KEYS})
    return raw


def raw_feature_rows(frame: pd.DataFrame) -> list[RawFeatures]:
    """Apply ``raw_features`` to every row of a canonical frame (missing columns -> unknown)."""
    return [raw_features(record) for record in frame.to_dict("records")]


def hours_per_year(hours: float, age: float) -> float:
    """Usage intensity; a machine in its first year counts as one year old (no division by 0)."""
    if math.isnan(hours) or math.isnan(age):
        return math.nan
    return hours / max(age, 1.0)


def build_vocabulary(rows: Iterable[RawFeatures]) -> Vocabulary:
    """Freeze the sorted categories seen in training; sorting makes the codes reproducible."""
    counters = {name: Counter[str]() for name in CATEGORICAL_FEATURES}
    for row in rows:
        for name, counter in counters.items():
            if row[name] is not None:
                counter[row[name]] += 1
    return {name: sorted(counter) for name, counter in counters.items()}


def usual_hours_per_year(rows: Iterable[RawFeatures]) -> dict[str, float]:
    """Median reported hours per year by category ("*" = all), for imputation and forecasts."""
    by_category: dict[str, list[float]] = {ALL_CATEGORIES: []}
    for row in rows:
        if not math.isnan(row["hours_per_year"]):
            by_category.setdefault(row["category"] or ALL_CATEGORIES, []).append(
                row["hours_per_year"]
            )
            by_category[ALL_CATEGORIES].append(row["hours_per_year"])
    return {name: float(np.median(values)) for name, values in by_category.items() if values}


class FeatureEncoder:
    """Turns raw features into the numeric matrix LightGBM sees, using frozen training state.

    Categories become their index in the vocabulary (as float), unknown ones NaN, which is
    exactly what pandas ``category`` codes give, so ``frame`` and ``matrix`` agree.

    Unreported hours are imputed as typical use for the category times age. In the Blue
    Book data "hours missing" marks cheap machines in one source and nothing at all in
    another, so letting the model learn a penalty for missing hours fails as soon as the
    data source changes; a typical-use assumption transfers, and keeps the hours effect
    monotone as age grows.
    """

    def __init__(self, vocabulary: Vocabulary, usual_hours: Mapping[str, float]) -> None:
        self.vocabulary = {name: list(vocabulary.get(name, [])) for name in CATEGORICAL_FEATURES}
        self.usual_hours = dict(usual_hours)
        self._codes = {
            name: {value: float(code) for code, value in enumerate(values)}
            for name, values in self.vocabulary.items()
        }

    @classmethod
    def fit(cls, rows: list[RawFeatures]) -> FeatureEncoder:
        """Learn the vocabulary and usage norms from training rows only."""
        return cls(build_vocabulary(rows), usual_hours_per_year(rows))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready state, saved in the model card."""
        return {"vocabulary": self.vocabulary, "usual_hours_per_year": self.usual_hours}

    @classmethod
    def from_dict(cls, state: Mapping[str, Any]) -> FeatureEncoder:
        return cls(state["vocabulary"], state["usual_hours_per_year"])

    def typical_hours_per_year(self, category: str | None) -> float:
        """Usage norm for a category, falling back to all categories, then NaN."""
        fallback = self.usual_hours.get(ALL_CATEGORIES, math.nan)
        return self.usual_hours.get(category or ALL_CATEGORIES, fallback)

    def model_hours(self, raw: RawFeatures) -> float:
        """Reported hours, or typical use times age when hours were not reported."""
        if not math.isnan(raw["hours"]) or math.isnan(raw["age"]):
            return float(raw["hours"])
        return self.typical_hours_per_year(raw["category"]) * max(raw["age"], 1.0)

    def numbers(self, raw: RawFeatures) -> list[float]:
        values = {**raw, "hours": self.model_hours(raw)}
        return [float(values[name]) for name in NUMERIC_FEATURES]

    def row(self, raw: RawFeatures) -> np.ndarray:
        """One record as a (1, n_features) float matrix, without building any pandas object."""
        codes = [self._codes[name].get(raw[name], math.nan) for name in CATEGORICAL_FEATURES]
        return np.array([self.numbers(raw) + codes], dtype=np.float64)

    def matrix(self, rows: list[RawFeatures]) -> np.ndarray:
        """Many records as a float matrix in ``FEATURES`` order."""
        if not rows:
            return np.empty((0, len(FEATURES)), dtype=np.float64)
        return np.vstack([self.row(raw) for raw in rows])

    def frame(self, rows: list[RawFeatures]) -> pd.DataFrame:
        """Human-inspectable features: floats plus ``category`` columns with the fixed vocab."""
        numbers = np.array([self.numbers(raw) for raw in rows], dtype=np.float64)
        numbers = numbers.reshape(len(rows), len(NUMERIC_FEATURES))
        data: dict[str, Any] = {
            name: numbers[:, index] for index, name in enumerate(NUMERIC_FEATURES)
        }
        for name in CATEGORICAL_FEATURES:
            known = self._codes[name]
            values = [raw[name] if raw[name] in known else None for raw in rows]
            dtype = pd.CategoricalDtype(self.vocabulary[name])
            data[name] = pd.Series(values, dtype="object").astype(dtype)
        return pd.DataFrame(data, columns=list(FEATURES))


def build_features(frame: pd.DataFrame, encoder: FeatureEncoder) -> pd.DataFrame:
    """Canonical frame -> feature frame (pandas ``category`` dtype with the frozen vocabulary)."""
    return encoder.frame(raw_feature_rows(frame))


def frame_to_matrix(features: pd.DataFrame) -> np.ndarray:
    """Feature frame -> float matrix (category codes, unknown = NaN) in ``FEATURES`` order."""
    columns = [
        features[name].cat.codes.replace(-1, np.nan).astype("float64")
        if name in CATEGORICAL_FEATURES
        else features[name].astype("float64")
        for name in FEATURES
    ]
    return np.column_stack(columns)


def as_date(value: Any) -> date | None:
    """Accept the date types the Django side and pandas hand over; anything else -> None."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, np.datetime64 | str):
        stamp = pd.Timestamp(value)
        return None if pd.isna(stamp) else stamp.date()
    return None


def _as_year(value: Any) -> int | None:
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if math.isfinite(number) and number >= 1900 else None


def _positive_or_nan(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number if math.isfinite(number) and number > 0 else math.nan


def _number_or_nan(value: Any) -> float:
    """Evidence figures (0 is a real value here: "no service record"); blank -> NaN."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number if math.isfinite(number) else math.nan


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().casefold() in {"1", "true", "yes", "y"}
    return value is not pd.NA and value is not None and bool(value)


def _token(value: Any) -> str | None:
    """Normalise a categorical value so "PC200-8 " and "pc200-8" are one category."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        value = int(value) if value.is_integer() else value
    token = _SPACES.sub(" ", str(value)).strip().casefold()
    return None if token in _MISSING_TOKENS else token


def _first_number(token: str | None) -> float:
    """Leading model number ("pc200" -> 200): a size proxy within a brand's line-up."""
    match = _FIRST_NUMBER.search(token or "")
    return float(match.group()) if match else math.nan


def _class_range(product_class: Any) -> tuple[float, float]:
    """Numeric size range from a product class ("... - 21.0 to 24.0 Metric Tons")."""
    match = _CLASS_RANGE.search(str(product_class or ""))
    if not match:
        return math.nan, math.nan
    low = float(match.group(1))
    high = float(match.group(2)) if match.group(2) else math.nan
    return low, high
