"""The back-test and model card pages fit a phone (390 px): wide tables scroll inside their
wrapper, long hashes and feature lists wrap."""

import datetime as dt

import pytest

from .factories import BacktestMonthFactory, ModelVersionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_backtest_and_model_pages_fit_a_phone(new_page, live_server):
    first = ModelVersionFactory()
    version = ModelVersionFactory(
        is_active=True,
        features=[f"attribute_{n}_with_a_long_name" for n in range(30)],
        data_snapshot_hash="f" * 64,
    )
    month = BacktestMonthFactory(n_train=1_234_567, n_sales=123_456)
    BacktestMonthFactory(run=month.run, month=dt.date(2026, 9, 1), skipped_reason="too_little_data")
    page = new_page()
    page.set_viewport_size(PHONE)
    for path in (
        "/valuation/backtest/",
        "/valuation/models/",
        f"/valuation/models/{version.version}/",
        f"/valuation/models/{first.version}/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"], path
