"""The LightGBM peers on a small made-up sales file (no real data needed)."""

import numpy as np
import pandas as pd

from benchmarks.peers import peer_features, peer_rmsle


def _sales(rows: int, seed: int, start: str) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    year_made = rng.integers(1995, 2010, rows)
    group = rng.choice(["TEX", "WL", "TTT"], rows)
    sold = pd.Timestamp(start) + pd.to_timedelta(rng.integers(0, 300, rows), unit="D")
    base = pd.Series(group).map({"TEX": 60000, "WL": 40000, "TTT": 80000}).to_numpy()
    price = base * np.exp(-0.08 * (sold.year - year_made)) * rng.lognormal(0, 0.05, rows)
    return pd.DataFrame(
        {
            "SalesID": np.arange(rows) + seed * 10_000,
            "SalePrice": price.round(),
            "YearMade": np.where(rng.random(rows) < 0.05, 1000, year_made),
            "saledate": sold,
            "ProductGroup": group,
        }
    )


def test_features_add_sale_dates_and_age_and_share_category_codes():
    train, test = _sales(50, 1, "2010-01-01"), _sales(20, 2, "2011-01-01")
    x_train, levels = peer_features(train)
    x_test, _ = peer_features(test, levels)
    assert list(x_train.columns) == [
        "YearMade",
        "ProductGroup",
        "sale_year",
        "sale_month",
        "sale_elapsed",
        "age",
    ]
    assert list(x_test["ProductGroup"].cat.categories) == ["TEX", "TTT", "WL"]
    assert x_test["ProductGroup"].cat.codes.tolist() == [
        ["TEX", "TTT", "WL"].index(value) for value in test["ProductGroup"]
    ]
    unknown = train["YearMade"] == 1000
    assert x_train.loc[unknown, "age"].isna().all()
    assert (x_train.loc[~unknown, "age"] == 2010 - train.loc[~unknown, "YearMade"]).all()


def test_both_peers_learn_the_price_better_than_the_median():
    train, test = _sales(600, 3, "2008-01-01"), _sales(200, 4, "2009-01-01")
    median = np.log1p(train["SalePrice"].median())
    median_rmsle = float(np.sqrt(np.mean((np.log1p(test["SalePrice"]) - median) ** 2)))
    for name in ("default", "tuned"):
        assert peer_rmsle(name, train, test) < median_rmsle / 2
