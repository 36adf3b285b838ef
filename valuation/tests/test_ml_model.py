"""Training and prediction on synthetic sales whose true price law and noise are known."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest

from valuation.ml import (
    ForecastPoint,
    TrainConfig,
    ValuationModel,
    data_snapshot_hash,
    forecast_value,
    predict_frame,
    predict_one,
    train,
)
from valuation.ml.features import raw_features
from valuation.ml.synthetic import synthetic_sales

NOISE_SIGMA = 0.2
VALUATION_DATE = date(2023, 6, 1)


@pytest.fixture(scope="module")
def sales() -> pd.DataFrame:
    return synthetic_sales(4000, seed=1, noise_sigma=NOISE_SIGMA)


@pytest.fixture(scope="module")
def model(sales: pd.DataFrame) -> ValuationModel:
    return train(sales)


def machine(**changes: Any) -> dict[str, Any]:
    base = {
        "category": "excavator",
        "brand": "SANY",
        "model": "SY215C",
        "base_model": "SY215",
        "year": 2017,
        "hours": 9000.0,
        "region": "Hunan",
        "condition_grade": "C",
        "sale_channel": "auction",
        "attributes": {"enclosure": "EROPS w AC"},
    }
    return {**base, **changes}


GRID_MACHINES = [
    machine(),
    machine(model="PC200-8", base_model="PC200", brand="Komatsu", condition_grade="A"),
    machine(category="dozer", model="SD16", base_model="SD16", brand="Shantui", hours=None),
    machine(category="wheel-loader", model="950GC", base_model="950", brand="Caterpillar"),
    machine(model="Unknown-1", base_model="", brand="Nobody", region="Mars"),
]


def assert_never_increases(values: np.ndarray) -> None:
    steps = np.diff(values)
    assert (steps <= 1e-9 * np.abs(values).max()).all(), f"rises: {values}"


def monotone_members(model: ValuationModel, grid: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each monotone-constrained member's log value over ``grid``."""
    rows = [
        raw_features({**record, "sold_at": VALUATION_DATE}) for record in grid.to_dict("records")
    ]
    matrix = model.encoder.matrix(rows)
    return {
        member.spec.name: member.predict(matrix, threads=1)
        for member in model.members
        if member.spec.monotone
    }


def test_the_lightgbm_member_carries_the_monotone_constraints(model: ValuationModel) -> None:
    assert [(member.spec.name, member.spec.monotone) for member in model.members] == [
        ("lightgbm_categorical", True),
        ("catboost", False),
    ]


@pytest.mark.parametrize("base", GRID_MACHINES)
def test_value_falls_with_hours(model: ValuationModel, base: dict[str, Any]) -> None:
    grid = pd.DataFrame([{**base, "hours": hours} for hours in np.linspace(50, 40_000, 60)])

    band = predict_frame(model, grid, as_of=VALUATION_DATE)

    for values in monotone_members(model, grid).values():
        assert_never_increases(values)
    assert band["p50"].iloc[0] > band["p50"].iloc[-1]


@pytest.mark.parametrize("base", GRID_MACHINES)
def test_value_falls_with_age(model: ValuationModel, base: dict[str, Any]) -> None:
    grid = pd.DataFrame([{**base, "year": 2023 - age} for age in range(31)])

    band = predict_frame(model, grid, as_of=VALUATION_DATE)

    for values in monotone_members(model, grid).values():
        assert_never_increases(values)
    assert band["p50"].iloc[0] > 1.5 * band["p50"].iloc[-1]


def test_worse_condition_grade_never_raises_the_monotone_member(model: ValuationModel) -> None:
    grid = pd.DataFrame([machine(condition_grade=grade) for grade in "ABCDE"])

    for values in monotone_members(model, grid).values():
        assert_never_increases(values)


@pytest.mark.parametrize("base", GRID_MACHINES)
def test_forecast_never_rises(model: ValuationModel, base: dict[str, Any]) -> None:
    curve = forecast_value(model, base, as_of=VALUATION_DATE, months=tuple(range(0, 121, 6)))

    for name in ("p10", "p50", "p90"):
        assert_never_increases(np.array([getattr(point, name) for point in curve]))
    assert curve[-1].p50 < curve[0].p50


def test_forecast_months_must_ascend(model: ValuationModel) -> None:
    with pytest.raises(ValueError, match="ascending"):
        forecast_value(model, machine(), as_of=VALUATION_DATE, months=(12, 0))


def test_interval_is_calibrated_on_a_fresh_later_window(model: ValuationModel) -> None:
    later = synthetic_sales(
        3000, seed=2, noise_sigma=NOISE_SIGMA, start=date(2023, 1, 1), end=date(2023, 12, 31)
    )

    band = predict_frame(model, later)
    inside = (later["price"] >= band["p10"]) & (later["price"] <= band["p90"])
    width = ((band["p90"] - band["p10"]) / band["p50"]).median()

    assert 0.75 <= inside.mean() <= 0.85
    # The narrowest honest 80% band for sigma 0.2 has width ratio ~0.52.
    assert 0.45 < width < 0.70


def test_model_card_reports_calibration_metrics(model: ValuationModel) -> None:
    card = model.card

    assert set(card["metrics"]) >= {"rmsle", "coverage_80", "median_width_ratio"}
    assert card["metrics"]["n_train"] == 4000
    assert card["metrics"]["n_fit_window"] + card["metrics"]["n_calibration"] == 4000
    assert 500 <= card["metrics"]["n_calibration"] <= 700
    assert 0.15 < card["metrics"]["rmsle"] < 0.30
    assert card["training"]["calibration_from"] > "2021-"
    assert card["conformal"]["offsets"]["lower"] > 0
    assert card["versions"]["lightgbm"]
    assert card["training_seconds"] > 0


def test_predict_one_matches_predict_frame(model: ValuationModel) -> None:
    record = machine(sold_at=VALUATION_DATE)

    one = predict_one(model, record)
    many = predict_frame(model, pd.DataFrame([record]))

    assert one.p50 == pytest.approx(many["p50"].iloc[0], rel=1e-9)
    assert one.p10 == pytest.approx(many["p10"].iloc[0], rel=1e-9)
    assert one.p90 == pytest.approx(many["p90"].iloc[0], rel=1e-9)
    assert one.p10 < one.p50 < one.p90
    assert one.model_version == model.version


def test_contributions_name_the_factors_that_moved_the_value(model: ValuationModel) -> None:
    old = predict_one(model, machine(year=2003, hours=30_000.0), as_of=VALUATION_DATE)
    factors = {item.feature: item for item in old.contributions}

    assert 1 <= len(old.contributions) <= 5
    assert factors["age"].value == 20.0
    assert factors["age"].effect < -0.3
    feature, _value, effect = old.contributions[0]
    assert feature in factors
    assert abs(effect) >= max(abs(item.effect) for item in old.contributions[1:])


def test_ordinary_machine_is_not_flagged(model: ValuationModel) -> None:
    prediction = predict_one(model, machine(), as_of=VALUATION_DATE)

    assert prediction.unusual is False
    assert prediction.reasons == ()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"model": "ZZ900", "base_model": "ZZ900"}, "model 'ZZ900' was never seen in the training"),
        ({"hours": 90_000.0}, "hours 90,000 h is outside the usual range for excavator"),
        ({"year": None}, "year of manufacture unknown"),
        ({"category": "crane"}, "category 'crane' does not occur in the training data"),
        ({"sold_at": date(2030, 1, 1)}, "market prices may have moved since"),
    ],
)
def test_unusual_inputs_are_flagged_with_reasons(
    model: ValuationModel, changes: dict[str, Any], expected: str
) -> None:
    prediction = predict_one(model, machine(**changes), as_of=VALUATION_DATE)

    assert prediction.unusual is True
    assert any(expected in reason for reason in prediction.reasons), prediction.reasons


def test_forecast_ages_the_machine_at_its_own_usage(model: ValuationModel) -> None:
    record = machine(year=2019, hours=8000.0)

    curve = forecast_value(model, record, as_of=VALUATION_DATE)

    assert [point.months for point in curve] == [0, 12, 24, 36, 48, 60]
    assert [point.age for point in curve] == [4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
    assert [point.hours for point in curve] == [8000.0 + 2000.0 * step for step in range(6)]
    assert all(isinstance(point, ForecastPoint) for point in curve)
    today = predict_one(model, record, as_of=VALUATION_DATE)
    assert curve[0].p50 == pytest.approx(today.p50, rel=1e-9)
    assert_never_increases(np.array([point.p50 for point in curve]))
    assert curve[-1].p50 < 0.8 * curve[0].p50


def test_forecast_uses_typical_usage_when_hours_are_unknown(model: ValuationModel) -> None:
    curve = forecast_value(model, machine(hours=None), as_of=VALUATION_DATE, months=(0, 24))

    assert curve[0].hours is None
    assert curve[1].p50 < curve[0].p50


def test_training_is_deterministic_and_ignores_row_order(sales: pd.DataFrame) -> None:
    subset = sales.iloc[:1500]
    shuffled = subset.sample(frac=1.0, random_state=5)

    first, second = train(subset), train(shuffled)

    assert [member.spec.name for member in first.members] == [
        "lightgbm_categorical",
        "catboost",
    ]
    assert [member.to_bytes() for member in first.members] == [
        member.to_bytes() for member in second.members
    ]
    assert first.weights == second.weights
    assert first.card["data_snapshot_sha256"] == data_snapshot_hash(shuffled)
    assert first.version == second.version


def test_training_accepts_database_types(sales: pd.DataFrame) -> None:
    from_database = sales.iloc[:800].copy()
    from_database["sold_at"] = from_database["sold_at"].dt.tz_localize("Asia/Shanghai")
    from_database["price"] = [Decimal(str(price)) for price in from_database["price"]]

    trained = train(from_database, TrainConfig(rounds=30))

    assert trained.card["training"]["first_sale"] == "2016-01-01"
    assert trained.card["data_snapshot_sha256"] == data_snapshot_hash(sales.iloc[:800])


def test_training_refuses_bad_prices(sales: pd.DataFrame) -> None:
    broken = sales.iloc[:500].copy()
    broken.loc[broken.index[3], "price"] = 0.0

    with pytest.raises(ValueError, match="price greater than 0"):
        train(broken)


def test_training_refuses_data_without_a_later_window() -> None:
    tiny = synthetic_sales(20, seed=4)

    with pytest.raises(ValueError, match="to calibrate the interval"):
        train(tiny)
