"""The two plain LightGBM peers the shipped valuation pipeline is measured against.

Both see the Blue Book columns as they are, with nothing of the project's feature work: the
target is log(1 + price), every text column is a pandas category, and four columns are added
(sale year, sale month, days since 2000-01-01, age in years; ``YearMade`` 1000 means unknown).
``default`` is LightGBM's out-of-the-box regressor; ``tuned`` is the data README's reference
(2,000 trees, learning rate 0.02, 63 leaves, at least 10 rows per leaf, 0.8 row and 0.7 column
sampling). They are fitted and scored on exactly the rows the shipped pipeline gets, in the
same run, so the ratio between them is measured side by side rather than quoted.
"""

from __future__ import annotations

import os
from typing import Final

import numpy as np
import pandas as pd

PathLike = str | os.PathLike[str]

PEERS: Final = {
    "default": {},
    "tuned": {
        "n_estimators": 2000,
        "learning_rate": 0.02,
        "num_leaves": 63,
        "min_child_samples": 10,
        "subsample": 0.8,
        "subsample_freq": 1,
        "colsample_bytree": 0.7,
    },
}
SEED: Final = 42
THREADS: Final = 2
_EPOCH: Final = pd.Timestamp("2000-01-01")
_DROP: Final = ("SalesID", "SalePrice", "saledate")


def read_raw(path: PathLike) -> pd.DataFrame:
    """The CSV as the peers see it: every column, ``saledate`` parsed."""
    frame = pd.read_csv(path, low_memory=False)
    frame["saledate"] = pd.to_datetime(frame["saledate"], format="mixed")
    return frame


def peer_features(frame: pd.DataFrame, categories: dict[str, pd.Index] | None = None):
    """The peers' inputs and the category levels used (learned from the training rows, reused
    for the test rows so one text maps to one code in both)."""
    sold = frame["saledate"]
    year_made = frame["YearMade"].where(frame["YearMade"] > 1000) if "YearMade" in frame else None
    features = frame.drop(columns=[c for c in _DROP if c in frame.columns]).copy()
    features["sale_year"] = sold.dt.year
    features["sale_month"] = sold.dt.month
    features["sale_elapsed"] = (sold - _EPOCH).dt.days
    if year_made is not None:
        features["age"] = sold.dt.year - year_made
    text_columns = [c for c in features.columns if not pd.api.types.is_numeric_dtype(features[c])]
    levels = categories if categories is not None else {}
    for column in text_columns:
        if categories is None:
            levels[column] = pd.Index(sorted(features[column].dropna().unique()))
        features[column] = pd.Categorical(features[column], categories=levels.get(column, []))
    return features, levels


def peer_rmsle(name: str, train: pd.DataFrame, test: pd.DataFrame) -> float:
    """Fit peer ``name`` on ``train`` and return its RMSLE on ``test`` (both raw frames)."""
    import lightgbm as lgb

    x_train, levels = peer_features(train)
    x_test, _ = peer_features(test, levels)
    x_test = x_test.reindex(columns=x_train.columns)
    model = lgb.LGBMRegressor(random_state=SEED, n_jobs=THREADS, verbose=-1, **PEERS[name])
    model.fit(x_train, np.log1p(train["SalePrice"].to_numpy(dtype=np.float64)))
    predicted = model.predict(x_test)
    actual = np.log1p(test["SalePrice"].to_numpy(dtype=np.float64))
    return round(float(np.sqrt(np.mean((predicted - actual) ** 2))), 4)
