"""Feature building: the same numbers for a frame and for one record, safe on odd input."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest

from valuation.ml.features import (
    CATEGORICAL_FEATURES,
    FEATURES,
    FeatureEncoder,
    build_features,
    frame_to_matrix,
    hours_per_year,
    raw_feature_rows,
    raw_features,
)
from valuation.ml.synthetic import synthetic_sales


def record(**changes: Any) -> dict[str, Any]:
    base = {
        "sold_at": date(2024, 5, 1),
        "category": "excavator",
        "brand": "SANY",
        "model": "SY215C",
        "base_model": "SY215",
        "year": 2019,
        "hours": 6000.0,
        "region": "Hunan",
        "condition_grade": "B",
        "sale_channel": "auction",
        "attributes": {"product_class": "Hydraulic Excavator, Track - 21.0 to 24.0 Metric Tons"},
    }
    return {**base, **changes}


@pytest.fixture(scope="module")
def encoder() -> FeatureEncoder:
    return FeatureEncoder.fit(raw_feature_rows(synthetic_sales(300, seed=3)))


def test_age_hours_and_size_come_from_the_record() -> None:
    raw = raw_features(record())

    assert raw["age"] == 5.0
    assert raw["hours"] == 6000.0
    assert raw["hours_per_year"] == 1200.0
    assert (raw["sale_year"], raw["sale_month"]) == (2024.0, 5.0)
    assert raw["condition_rank"] == 2.0
    assert (raw["class_size_low"], raw["class_size_high"]) == (21.0, 24.0)
    assert raw["model_number"] == 215.0
    assert raw["model"] == "sy215c"


@pytest.mark.parametrize("year", [None, pd.NA, 1000, "unknown", float("nan")])
def test_unknown_year_gives_unknown_age_not_a_guess(year: Any) -> None:
    raw = raw_features(record(year=year))

    assert math.isnan(raw["age"])
    assert math.isnan(raw["hours_per_year"])
    assert raw["year"] is None


def test_year_after_the_sale_is_clipped_to_age_zero() -> None:
    raw = raw_features(record(year=2026))

    assert raw["age"] == 0.0
    assert raw["hours_per_year"] == 6000.0


@pytest.mark.parametrize("hours", [0, 0.0, None, float("nan"), -5, "n/a"])
def test_zero_or_missing_hours_mean_not_reported(hours: Any) -> None:
    raw = raw_features(record(hours=hours))

    assert math.isnan(raw["hours"])
    assert math.isnan(raw["hours_per_year"])


def test_hours_per_year_is_safe_at_age_zero() -> None:
    assert hours_per_year(800.0, 0.0) == 800.0
    assert math.isnan(hours_per_year(math.nan, 3.0))
    assert math.isnan(hours_per_year(800.0, math.nan))


def test_unreported_hours_are_imputed_as_typical_use(encoder: FeatureEncoder) -> None:
    raw = raw_features(record(hours=0))
    typical = encoder.typical_hours_per_year("excavator")

    assert 1000 < typical < 2000
    assert encoder.model_hours(raw) == pytest.approx(typical * 5)
    assert math.isnan(encoder.model_hours(raw_features(record(hours=0, year=None))))


def test_unseen_brand_becomes_unknown_without_shifting_other_codes(
    encoder: FeatureEncoder,
) -> None:
    brand = FEATURES.index("brand")
    known = encoder.row(raw_features(record(brand="XCMG")))[0, brand]
    unseen = encoder.row(raw_features(record(brand="Brand Nobody Knows")))[0, brand]

    assert known == encoder.vocabulary["brand"].index("xcmg")
    assert math.isnan(unseen)


def test_categories_are_normalised_before_lookup(encoder: FeatureEncoder) -> None:
    plain = encoder.row(raw_features(record(model="SY215C", region="Hunan")))
    messy = encoder.row(raw_features(record(model="  sy215c ", region="HUNAN")))

    np.testing.assert_array_equal(plain, messy)


def test_frame_uses_a_fixed_category_vocabulary(encoder: FeatureEncoder) -> None:
    frame = pd.DataFrame([record(brand="SANY"), record(brand="Brand Nobody Knows")])

    features = build_features(frame, encoder)

    assert list(features.columns) == list(FEATURES)
    for name in CATEGORICAL_FEATURES:
        assert list(features[name].cat.categories) == encoder.vocabulary[name]
    assert features["brand"].tolist()[0] == "sany"
    assert pd.isna(features["brand"].tolist()[1])


def test_single_record_and_frame_paths_give_identical_numbers(encoder: FeatureEncoder) -> None:
    frame = pd.concat(
        [synthetic_sales(50, seed=9), pd.DataFrame([record(), record(year=None, hours=0)])],
        ignore_index=True,
    )
    rows = raw_feature_rows(frame)

    from_frame = frame_to_matrix(encoder.frame(rows))
    from_records = np.vstack([encoder.row(raw_features(r)) for r in frame.to_dict("records")])

    np.testing.assert_array_equal(from_frame, from_records)
    np.testing.assert_array_equal(encoder.matrix(rows), from_records)


def test_encoder_state_survives_json_round_trip(encoder: FeatureEncoder) -> None:
    restored = FeatureEncoder.from_dict(encoder.to_dict())
    raw = raw_features(record())

    np.testing.assert_array_equal(restored.row(raw), encoder.row(raw))


def test_record_without_sale_date_or_attributes_still_encodes(encoder: FeatureEncoder) -> None:
    row = encoder.row(raw_features({"category": "dozer", "model": "SD16"}))

    assert row.shape == (1, len(FEATURES))
    assert math.isnan(row[0, FEATURES.index("age")])
