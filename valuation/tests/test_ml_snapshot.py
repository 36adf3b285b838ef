"""Data snapshot hash: same sales give the same hash whatever their source or order."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from valuation.ml.snapshot import data_snapshot_hash, ensure_canonical
from valuation.ml.synthetic import synthetic_sales


@pytest.fixture
def sales() -> pd.DataFrame:
    return synthetic_sales(200, seed=21)


def test_hash_ignores_row_order_and_extra_columns(sales: pd.DataFrame) -> None:
    reordered = sales.sample(frac=1.0, random_state=1).assign(listing_id=range(len(sales)))

    assert data_snapshot_hash(reordered) == data_snapshot_hash(sales)


def test_hash_changes_when_one_price_changes(sales: pd.DataFrame) -> None:
    changed = sales.copy()
    changed.loc[changed.index[7], "price"] += 1.0

    assert data_snapshot_hash(changed) != data_snapshot_hash(sales)


def test_database_types_hash_like_pandas_types(sales: pd.DataFrame) -> None:
    from_database = sales.copy()
    from_database["price"] = [Decimal(str(price)) for price in sales["price"]]
    from_database["year"] = sales["year"].astype(object).where(sales["year"].notna(), None)
    from_database["hours"] = sales["hours"].astype(object).where(sales["hours"].notna(), None)

    assert data_snapshot_hash(from_database) == data_snapshot_hash(sales)


def test_attribute_key_order_does_not_matter(sales: pd.DataFrame) -> None:
    first = sales.iloc[:1].assign(attributes=[{"a": "1", "b": "2"}])
    second = sales.iloc[:1].assign(attributes=[{"b": "2", "a": "1"}])

    assert data_snapshot_hash(first) == data_snapshot_hash(second)


def test_missing_optional_columns_are_filled_and_required_ones_named() -> None:
    frame = pd.DataFrame({"sold_at": ["2024-01-01"], "price": [1.0], "category": ["dozer"]})

    filled = ensure_canonical(frame)
    assert filled.loc[0, "brand"] == ""
    assert np.isnan(filled.loc[0, "hours"])
    with pytest.raises(ValueError, match="missing required column"):
        ensure_canonical(frame, required=("sold_at", "price", "model"))
