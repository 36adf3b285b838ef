"""Fixtures for the valuation app's tests: synthetic sale records and small, fast models."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest

from marketplace.models import SaleChannel, SaleRecord, SaleSource
from valuation import registry
from valuation.ml import TrainConfig
from valuation.ml.synthetic import synthetic_sales

# Not about accuracy: few rounds keep each training well under a second.
FAST = TrainConfig(rounds=40)
BRANDS = {"SANY": "三一"}


@pytest.fixture(autouse=True)
def models_dir(settings, tmp_path):
    settings.ML_MODELS_DIR = tmp_path / "ml_models"
    registry.clear_cache()
    yield settings.ML_MODELS_DIR
    registry.clear_cache()


def sale_records_from_synthetic(n: int, *, seed: int = 1, **options) -> list[SaleRecord]:
    """``n`` synthetic sales (known price law); by default over the six years up to today."""
    today = dt.date.today()
    options.setdefault("start", today.replace(year=today.year - 6))
    options.setdefault("end", today - dt.timedelta(days=1))
    frame = synthetic_sales(n, seed=seed, **options)
    records = []
    for index, row in enumerate(frame.to_dict("records")):
        hours = row["hours"]
        records.append(
            SaleRecord(
                source=SaleSource.SIMULATED,
                external_id=f"test-{seed}-{index}",
                sale_channel=SaleChannel.AUCTION,
                sold_at=row["sold_at"].date(),
                price=Decimal(str(round(row["price"], 2))),
                currency="CNY",
                category_slug=row["category"],
                size_class="",
                brand_name=BRANDS.get(row["brand"], row["brand"]),
                model_name=row["model"],
                base_model=row["base_model"],
                year_of_manufacture=int(row["year"]),
                hours=None if math.isnan(hours) else int(hours),
                province="湖南省" if row["region"] == "Hunan" else row["region"],
                city="长沙市" if row["region"] == "Hunan" else "",
                condition_grade=row["condition_grade"],
                emission_stage="china3",
            )
        )
    return SaleRecord.objects.bulk_create(records)


@pytest.fixture
def sales(db):
    return sale_records_from_synthetic(600)


@pytest.fixture
def trained(sales):
    from valuation.services import valuation_train

    return valuation_train(config=FAST).version
