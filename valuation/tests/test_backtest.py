"""The monthly back-test on a small crafted dataset: each sale is predicted by the model that
was active when it closed; months before the first model say so."""

from __future__ import annotations

import datetime as dt
import statistics
from decimal import Decimal

import numpy as np
import pytest
from django.urls import reverse

from marketplace.models import SaleChannel, SaleRecord, SaleSource
from valuation import registry
from valuation.backtest import monthly_backtest
from valuation.ml import predict_frame
from valuation.ml.schema import CANONICAL_COLUMNS
from valuation.models import ModelVersion
from valuation.records import RECORD_FIELDS, frame_from_records, record_from_sale

TODAY = dt.date(2026, 4, 10)
MODEL_DAY = dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.UTC)


def _sale(day: dt.date, price: str, hours: int, external_id: str) -> SaleRecord:
    return SaleRecord.objects.create(
        source=SaleSource.PLATFORM,
        external_id=external_id,
        sale_channel=SaleChannel.FIXED,
        sold_at=day,
        price=Decimal(price),
        category_slug="excavator",
        brand_name="三一",
        model_name="SY215C",
        base_model="SY215",
        year_of_manufacture=2019,
        hours=hours,
        province="湖南省",
        city="长沙市",
        emission_stage="china3",
    )


@pytest.fixture
def crafted(trained):
    """The trained model 'went live' on 2026-02-01; sales in Jan (before), Feb and Mar."""
    ModelVersion.objects.filter(pk=trained.pk).update(created_at=MODEL_DAY)
    SaleRecord.objects.all().delete()  # only the crafted sales below count
    before = [_sale(dt.date(2026, 1, 20), "60000.00", 5000, "jan-1")]
    feb = [
        _sale(dt.date(2026, 2, 3), "52000.00", 4000, "feb-1"),
        _sale(dt.date(2026, 2, 17), "70000.00", 6000, "feb-2"),
        _sale(dt.date(2026, 2, 25), "45000.00", 9000, "feb-3"),
    ]
    mar = [_sale(dt.date(2026, 3, 5), "80000.00", 2000, "mar-1")]
    return before, feb, mar


def _errors(model_version, sales):
    model = registry.load_version(model_version)
    rows = list(SaleRecord.objects.filter(pk__in=[s.pk for s in sales]).values(*RECORD_FIELDS))
    frame = frame_from_records([record_from_sale(row) for row in rows])
    p50 = predict_frame(model, frame[list(CANONICAL_COLUMNS)])["p50"].to_numpy()
    return list(p50 / np.array([float(row["price"]) for row in rows]) - 1)


@pytest.mark.django_db
def test_backtest_numbers(crafted, trained):
    _before, feb, _mar = crafted
    months = {row.month: row for row in monthly_backtest(months=4, today=TODAY)}
    assert sorted(months) == [
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 1),
    ]
    january = months[dt.date(2026, 1, 1)]
    assert (january.n_sales, january.n_predicted, january.model_versions) == (1, 0, ())
    assert january.median_error is None
    february = months[dt.date(2026, 2, 1)]
    errors = _errors(trained, feb)
    absolute = [abs(e) for e in errors]
    assert (february.n_sales, february.n_predicted) == (3, 3)
    assert february.model_versions == (trained.version,)
    assert february.median_error == pytest.approx(statistics.median(errors))
    assert february.median_abs_error == pytest.approx(statistics.median(absolute))
    assert february.within_10 == sum(a <= 0.10 for a in absolute) / 3
    assert february.within_20 == sum(a <= 0.20 for a in absolute) / 3
    assert months[dt.date(2026, 3, 1)].n_predicted == 1
    assert months[dt.date(2025, 12, 1)].n_sales == 0


@pytest.mark.django_db
def test_backtest_page(crafted, trained, client, monkeypatch):
    monkeypatch.setattr("valuation.views.timezone.localdate", lambda: TODAY)
    html = client.get(reverse("valuation:backtest")).content.decode()
    february = {row.month: row for row in monthly_backtest(months=4, today=TODAY)}[
        dt.date(2026, 2, 1)
    ]
    assert '<tr data-month="2026-02">' in html
    assert february.median_error_text in html
    assert february.within_20_text in html
    assert "尚无模型" in html  # January: sales, but no model yet
