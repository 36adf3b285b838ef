"""Deterministic identity of a training data set.

The hash lets a scheduled retrain skip when nothing changed and lets a stored model say
exactly which data it learned from. It depends only on the canonical columns and not on
row order, extra columns or dtype details (``Int64`` vs ``float``), so the same sales read
from the database or from a CSV give the same hash.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

import numpy as np
import pandas as pd

from .schema import CANONICAL_COLUMNS

REQUIRED_TRAINING_COLUMNS: Final[tuple[str, ...]] = ("sold_at", "price", "category", "model")
_DEFAULTS: Final[dict[str, Any]] = {
    "year": pd.NA,
    "hours": math.nan,
    "is_remanufactured": False,
    "attributes": None,
}


def ensure_canonical(frame: pd.DataFrame, *, required: tuple[str, ...] = ()) -> pd.DataFrame:
    """Return a copy with every canonical column (absent optional ones filled as unknown).

    Raises ``ValueError`` naming the missing required columns, so a caller that forgot
    ``price`` gets told instead of training on NaN.
    """
    missing = [name for name in required if name not in frame.columns]
    if missing:
        raise ValueError("missing required column(s): " + ", ".join(missing))
    result = frame.copy()
    for name in CANONICAL_COLUMNS:
        if name not in result.columns:
            result[name] = [_DEFAULTS.get(name, "")] * len(result)
    return result


def record_lines(frame: pd.DataFrame) -> list[str]:
    """One canonical JSON line per row, in frame order (used to hash and to sort rows)."""
    columns = list(CANONICAL_COLUMNS)
    return [_line(record) for record in ensure_canonical(frame)[columns].to_dict("records")]


def data_snapshot_hash(frame: pd.DataFrame) -> str:
    """sha256 over the sorted canonical lines of the frame."""
    return hash_lines(record_lines(frame))


def hash_lines(lines: list[str]) -> str:
    """sha256 of the lines in sorted order (row order never changes the hash)."""
    digest = hashlib.sha256()
    for line in sorted(lines):
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def _line(record: Mapping[str, Any]) -> str:
    payload = {name: _plain(value) for name, value in record.items()}
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _plain(value: Any) -> Any:
    """Normalise a cell to JSON; NaN, NA and None all mean "unknown" and hash alike."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in sorted(value.items())}
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, datetime | pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        number = float(value)
        return None if math.isnan(number) else repr(number)
    return str(value)
