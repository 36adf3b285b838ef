"""Synthetic sale records with a known price law, for tests and offline demos.

Real data cannot tell us whether the interval is calibrated "by construction", because its
true noise is unknown. Here the price is ``base * depreciation(age, hours) * factors`` times
log-normal noise with a chosen sigma, so an honest 80% band must hold ~80% of fresh sales
and its width must approach the noise level. The Django side can also use it to train a
small model in its own tests without the Blue Book data.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

import numpy as np
import pandas as pd

_CATALOGUE: Final[tuple[tuple[str, str, str, str, float], ...]] = (
    # category, brand, model, base_model, price of a new machine
    ("excavator", "SANY", "SY215C", "SY215", 120_000.0),
    ("excavator", "SANY", "SY75C", "SY75", 45_000.0),
    ("excavator", "Komatsu", "PC200-8", "PC200", 140_000.0),
    ("excavator", "XCMG", "XE215DA", "XE215", 100_000.0),
    ("wheel-loader", "LiuGong", "CLG856H", "CLG856", 80_000.0),
    ("wheel-loader", "Caterpillar", "950GC", "950", 160_000.0),
    ("dozer", "Shantui", "SD16", "SD16", 70_000.0),
    ("dozer", "Komatsu", "D65EX-16", "D65", 210_000.0),
)
_REGIONS: Final[tuple[str, ...]] = ("Hunan", "Hubei", "Guangdong", "Sichuan")
_GRADE_FACTOR: Final[dict[str, float]] = {"A": 1.10, "B": 1.05, "C": 1.0, "D": 0.85, "E": 0.6}
ANNUAL_DEPRECIATION: Final = 0.88
HOURLY_DEPRECIATION: Final = 0.000_025


def synthetic_sales(
    n: int,
    *,
    seed: int = 0,
    noise_sigma: float = 0.2,
    start: date = date(2016, 1, 1),
    end: date = date(2022, 12, 31),
) -> pd.DataFrame:
    """``n`` canonical sale records with sale dates uniform between ``start`` and ``end``."""
    rng = np.random.default_rng(seed)
    items = rng.integers(len(_CATALOGUE), size=n)
    sold_at = _dates(rng, n, start, end)
    age = rng.gamma(2.0, 2.5, size=n).round().clip(0, 25)
    hours = (age * rng.normal(1500, 400, size=n).clip(200)).round()
    grades = rng.choice(list(_GRADE_FACTOR), size=n, p=[0.1, 0.25, 0.4, 0.2, 0.05])
    records = [
        _record(_CATALOGUE[item], sold_at[i], int(age[i]), float(hours[i]), str(grades[i]), rng)
        for i, item in enumerate(items)
    ]
    frame = pd.DataFrame.from_records(records)
    frame["price"] = _prices(frame, age, hours, rng.normal(0.0, noise_sigma, size=n))
    frame["year"] = frame["year"].astype("Int64")
    return frame


def _dates(rng: np.random.Generator, n: int, start: date, end: date) -> pd.DatetimeIndex:
    span = (end - start).days
    offsets = rng.integers(0, span + 1, size=n)
    return pd.to_datetime(start) + pd.to_timedelta(np.sort(offsets), unit="D")


def _record(
    item: tuple[str, str, str, str, float],
    sold_at: pd.Timestamp,
    age: int,
    hours: float,
    grade: str,
    rng: np.random.Generator,
) -> dict[str, Any]:
    category, brand, model, base_model, _ = item
    return {
        "sold_at": sold_at,
        "category": category,
        "size_class": "",
        "brand": brand,
        "model": model,
        "base_model": base_model,
        "year": sold_at.year - age,
        "hours": hours if rng.random() > 0.1 else np.nan,
        "region": str(rng.choice(_REGIONS)),
        "city": "",
        "condition_grade": grade,
        "is_remanufactured": False,
        "emission_stage": "China IV" if sold_at.year - age >= 2022 else "China III",
        "sale_channel": "auction",
        "attributes": {"enclosure": str(rng.choice(["EROPS w AC", "OROPS"]))},
    }


def _prices(
    frame: pd.DataFrame, age: np.ndarray, hours: np.ndarray, noise: np.ndarray
) -> np.ndarray:
    """The true price law; hours count even when the record hides them (like real life)."""
    base = frame["model"].map({item[2]: item[4] for item in _CATALOGUE}).to_numpy()
    grade = frame["condition_grade"].map(_GRADE_FACTOR).to_numpy(dtype=np.float64)
    cab = np.where(frame["attributes"].map(lambda a: a["enclosure"]) == "OROPS", 0.93, 1.0)
    value = base * ANNUAL_DEPRECIATION**age * np.exp(-HOURLY_DEPRECIATION * hours) * grade * cab
    return np.round(value * np.exp(noise), 2)
