"""The rolling-origin back-test: each month is scored by a model fitted only on the sales
before it; runs are stored and shown on /valuation/backtest/ (never computed per request)."""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics

import numpy as np
import pandas as pd
import pytest
from django.core.management import ManagementUtility, call_command
from django.urls import reverse
from django.utils import timezone

from marketplace.models import SaleRecord
from tests.page_text import visible_text
from tests.test_page_languages import offending
from valuation import backtesting
from valuation.backtesting import TOO_LITTLE_DATA, rolling_origin, score_sales
from valuation.formatting import percent
from valuation.ml import data_snapshot_hash, predict_frame, train
from valuation.ml.schema import CANONICAL_COLUMNS
from valuation.ml.synthetic import synthetic_sales
from valuation.models import BacktestMonth, BacktestRun, BacktestStatus
from valuation.records import training_frame
from valuation.services import valuation_backtest, valuation_train
from valuation.tasks import valuation_backtest_task

from .conftest import FAST, sale_records_from_synthetic
from .factories import BacktestMonthFactory

START, END = dt.date(2024, 1, 1), dt.date(2024, 6, 30)
MONTHS = [dt.date(2024, month, 1) for month in (6, 5, 4, 3, 2, 1)]


def _earlier(month: dt.date) -> int:
    return SaleRecord.objects.filter(sold_at__lt=month).count()


def _in_month(month: dt.date) -> int:
    return SaleRecord.objects.filter(
        sold_at__gte=month, sold_at__lt=backtesting.add_months(month, 1)
    ).count()


@pytest.fixture
def history(db):
    """400 synthetic sales over the first half of 2024 (about 67 a month)."""
    return sale_records_from_synthetic(400, seed=7, start=START, end=END)


@pytest.fixture
def stored(history):
    return valuation_backtest(months=6, config=FAST).run


def test_score_sales_on_known_figures():
    prices = np.array([100.0, 200.0, 400.0, 1000.0])
    band = pd.DataFrame(
        {
            "p10": [90.0, 180.0, 400.0, 1100.0],  # the third price sits on its P10: inside
            "p50": [105.0, 170.0, 400.0, 1500.0],  # errors +5%, -15%, 0%, +50%
            "p90": [120.0, 250.0, 500.0, 1800.0],  # the fourth price is below its band
        }
    )
    figures = score_sales(prices, band)
    assert figures == {
        "median_error": pytest.approx(0.025, abs=1e-12),
        "median_abs_error": pytest.approx(0.10, abs=1e-12),
        "within_10": 0.5,
        "within_20": 0.75,
        "coverage": 0.75,
    }


def test_each_month_is_fitted_only_on_earlier_sales(monkeypatch):
    frame = synthetic_sales(400, seed=7, start=START, end=END)
    seen: list[pd.Timestamp] = []

    def spy(history, config):
        seen.append(pd.to_datetime(history["sold_at"]).max())
        return train(history, config)

    monkeypatch.setattr(backtesting, "train", spy)
    scores = list(rolling_origin(frame, months=6, config=FAST))

    assert [score.month for score in scores] == MONTHS
    sold_at = pd.to_datetime(frame["sold_at"])
    for score in scores:
        start = pd.Timestamp(score.month)
        end = pd.Timestamp(backtesting.add_months(score.month, 1))
        assert score.n_train == int((sold_at < start).sum())
        assert score.n_sales == int(((sold_at >= start) & (sold_at < end)).sum())
    trained_months = [score.month for score in scores if score.n_train]
    assert len(seen) == len(trained_months)  # January had no history: train() not called
    assert all(last < pd.Timestamp(month) for last, month in zip(seen, trained_months, strict=True))


def test_months_are_the_newest_with_sales_newest_first():
    frame = synthetic_sales(50, seed=1, start=dt.date(2023, 1, 1), end=dt.date(2023, 1, 31))
    later = synthetic_sales(50, seed=2, start=dt.date(2023, 4, 1), end=dt.date(2023, 4, 30))
    both = pd.concat([frame, later], ignore_index=True)
    # February and March have no sales, so they are not back-test months.
    assert backtesting.months_with_sales(both, months=5) == [
        dt.date(2023, 4, 1),
        dt.date(2023, 1, 1),
    ]
    assert backtesting.months_with_sales(both, months=1) == [dt.date(2023, 4, 1)]


@pytest.mark.django_db
def test_run_is_stored_with_counts_skips_and_settings(stored):
    rows = list(stored.months.order_by("-month"))
    assert [row.month for row in rows] == MONTHS
    assert [row.n_train for row in rows] == [_earlier(month) for month in MONTHS]
    assert [row.n_sales for row in rows] == [_in_month(month) for month in MONTHS]
    assert sum(row.n_sales for row in rows) == 400
    skipped = [row.month for row in rows if row.skipped]
    # Too few earlier sales leave fewer than 30 for the calibration window: no figures.
    assert skipped == [dt.date(2024, 3, 1), dt.date(2024, 2, 1), dt.date(2024, 1, 1)]
    january = rows[-1]
    assert (january.n_train, january.skipped_reason) == (0, TOO_LITTLE_DATA)
    assert january.get_skipped_reason_display() == "训练数据不足"
    assert (january.median_error, january.coverage, january.within_10) == (None, None, None)
    assert "calibrate" in rows[-2].skipped_detail  # train()'s ValueError, kept for staff
    assert (stored.status, stored.source, stored.currency) == (
        BacktestStatus.SUCCEEDED,
        "platform",
        "CNY",
    )
    assert stored.months_requested == 6
    assert stored.settings["rounds"] == 40
    assert stored.settings["seed"] == FAST.seed
    assert stored.code_version
    frame = training_frame()
    assert stored.data_snapshot_hash == data_snapshot_hash(frame[list(CANONICAL_COLUMNS)])


@pytest.mark.django_db
def test_stored_figures_are_those_of_a_model_fitted_before_the_month(stored):
    """June recomputed by hand: fit on sales before June 1st, score June's sales."""
    frame = training_frame()
    canonical = frame[list(CANONICAL_COLUMNS)]
    sold_at = pd.to_datetime(frame["sold_at"])
    model = train(canonical[sold_at < "2024-06-01"].reset_index(drop=True), FAST)
    june = canonical[sold_at >= "2024-06-01"].reset_index(drop=True)
    band = predict_frame(model, june)
    price = june["price"].to_numpy()
    errors = band["p50"].to_numpy() / price - 1
    inside = (band["p10"].to_numpy() <= price) & (price <= band["p90"].to_numpy())

    row = stored.months.get(month=dt.date(2024, 6, 1))
    assert row.n_sales == len(june)
    assert row.median_error == pytest.approx(statistics.median(errors), abs=1e-12)
    assert row.median_abs_error == pytest.approx(statistics.median(np.abs(errors)), abs=1e-12)
    assert row.within_10 == pytest.approx(np.mean(np.abs(errors) <= 0.10), abs=1e-12)
    assert row.within_20 == pytest.approx(np.mean(np.abs(errors) <= 0.20), abs=1e-12)
    assert row.coverage == pytest.approx(np.mean(inside), abs=1e-12)
    assert 0.5 <= row.coverage <= 1.0  # the band is calibrated, roughly


@pytest.mark.django_db
def test_command_prints_the_run_as_json_with_a_progress_line_per_month(history, capsys):
    call_command("valuation_backtest", "--months", "2", "--rounds", "40", "--json")
    out, err = capsys.readouterr()
    document = json.loads(out)
    run = BacktestRun.objects.get()
    assert document["run"] == run.pk
    assert (document["source"], document["currency"], document["status"]) == (
        "platform",
        "CNY",
        "succeeded",
    )
    assert [month["month"] for month in document["months"]] == ["2024-06", "2024-05"]
    june = run.months.get(month=dt.date(2024, 6, 1))
    assert document["months"][0] == {
        "month": "2024-06",
        "n_train": _earlier(dt.date(2024, 6, 1)),
        "n_sales": _in_month(dt.date(2024, 6, 1)),
        "median_error": june.median_error,
        "median_abs_error": june.median_abs_error,
        "within_10": june.within_10,
        "within_20": june.within_20,
        "coverage": june.coverage,
        "skipped_reason": "",
    }
    assert document["settings"]["rounds"] == 40
    lines = err.strip().splitlines()
    assert [line[:7] for line in lines[1:3]] == ["2024-06", "2024-05"]
    assert len(lines) == 4  # header, one line per month, the summary


# transaction=True: a command run through ManagementUtility closes the database connections
# when it exits (Django's run_from_argv), which on PostgreSQL ends a test's transaction.
@pytest.mark.django_db(transaction=True)
def test_command_with_nothing_to_backtest_exits_non_zero_with_one_line(capsys):
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "valuation_backtest", "--source", "external"]).execute()
    assert exit_info.value.code == 1
    _out, err = capsys.readouterr()
    assert err == "CommandError: 没有可回测的成交记录（external）。\n"
    assert BacktestRun.objects.count() == 0


@pytest.mark.django_db
def test_training_enqueues_a_backtest_after_commit(
    history, monkeypatch, django_capture_on_commit_callbacks
):
    enqueued: list[str] = []
    stub = type("Stub", (), {"enqueue": staticmethod(enqueued.append)})
    monkeypatch.setattr("valuation.tasks.valuation_backtest_task", stub)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        valuation_train(config=FAST)
    assert enqueued == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert enqueued == ["platform"]


@pytest.mark.django_db
def test_task_skips_when_the_newest_run_saw_the_same_data(stored):
    result = valuation_backtest_task.enqueue("platform")
    assert result.return_value == f"back-test data unchanged since run {stored.pk}; skipped"
    assert BacktestRun.objects.count() == 1


@pytest.mark.django_db
def test_failed_run_is_stored_and_raised(history, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("LightGBM exploded")

    monkeypatch.setattr(backtesting, "train", broken)
    with pytest.raises(RuntimeError):
        valuation_backtest(months=1, config=FAST)
    run = BacktestRun.objects.get()
    assert (run.status, run.error, run.months.count()) == ("failed", "LightGBM exploded", 0)


@pytest.mark.django_db
def test_page_shows_the_stored_months_newest_first(stored, client):
    html = client.get(reverse("valuation:backtest")).content.decode()
    assert html.count("<tr data-month=") == 6
    positions = [html.index(f'<tr data-month="{month:%Y-%m}">') for month in MONTHS]
    assert positions == sorted(positions)
    june = stored.months.get(month=dt.date(2024, 6, 1))
    row = html[positions[0] : positions[1]]
    for text in (
        percent(june.median_error, signed=True),
        percent(june.median_abs_error),
        percent(june.within_10),
        percent(june.within_20),
        percent(june.coverage),
    ):
        assert f'<td class="num">{text}</td>' in row
    assert "跳过：训练数据不足" in html[positions[3] :]
    assert "回测尚未运行" not in html
    assert timezone.localtime(stored.created_at).strftime("%Y-%m-%d %H:%M") in html


@pytest.mark.django_db
def test_page_shows_exact_figures_of_a_stored_month(client):
    BacktestMonthFactory(month=dt.date(2026, 10, 1))
    html = client.get(reverse("valuation:backtest")).content.decode()
    row = html[html.index('<tr data-month="2026-10">') :].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells == ["2026-10", "900", "100", "−3.4%", "8.1%", "58.0%", "86.0%", "79.0%"]


@pytest.mark.django_db
def test_page_without_a_run_says_how_to_run_it(client, history):
    BacktestMonthFactory(run__status=BacktestStatus.FAILED)  # a failed run is not shown
    html = client.get(reverse("valuation:backtest")).content.decode()
    assert "回测尚未运行。" in html
    assert "python manage.py valuation_backtest --source platform --months 12" in html
    assert "<table" not in html
    assert BacktestMonth.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("with_run", [True, False])
def test_page_speaks_one_language(client, settings, language, with_run):
    if with_run:
        BacktestMonthFactory()
        BacktestMonthFactory(
            run=BacktestRun.objects.get(),
            month=dt.date(2026, 9, 1),
            skipped_reason=TOO_LITTLE_DATA,
            median_error=None,
        )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("valuation:backtest")).content.decode()
    texts = visible_text(html, language)
    assert [text for text in texts if offending(text, language)] == []
    if language == "en":
        assert ("Skipped: Too little training data" in html) is with_run
        assert ("The back-test has not run yet." in html) is not with_run
