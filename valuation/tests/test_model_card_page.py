"""The public model card: /valuation/models/ (every version) and /valuation/models/<version>/
(data, method, figures, limits, changes since the previous version), in both languages,
also when the artifact files are gone."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.page_text import visible_text
from tests.test_page_languages import offending
from valuation import registry
from valuation.formatting import decimal, percent
from valuation.models import ModelVersion
from valuation.services import valuation_benchmark_record, valuation_train

from .conftest import FAST
from .factories import BacktestMonthFactory, BacktestRunFactory, ModelVersionFactory

pytestmark = pytest.mark.django_db


def _card_page(client, version: str, language: str = "zh-hans") -> str:
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("valuation:model_card", args=[version]))
    assert response.status_code == 200
    return response.content.decode()


def _cell(html: str, css_class: str) -> str:
    match = re.search(rf'<dd class="{css_class}">(.*?)</dd>', html, re.S)
    assert match, css_class
    return match.group(1)


def _section(html: str, name: str) -> str:
    return html[html.index(f'<section id="{name}">') :].split("</section>")[0]


def _row(html: str, label: str) -> list[str]:
    """The cells after the header ``label`` in a figures table."""
    match = re.search(rf"<tr><th>{re.escape(label)}</th>(.*?)</tr>", html, re.S)
    assert match, label
    return re.findall(r"<td[^>]*>(.*?)</td>", match.group(1))


def test_card_of_a_trained_version_shows_its_figures(trained, client):
    card = registry.load_version(trained).card
    html = _card_page(client, trained.version)

    assert f'data-version="{trained.version}"' in html
    assert "当前启用" in html
    assert _cell(html, "n-sales") == "600"
    training = card["training"]
    assert _cell(html, "date-range") == f"{training['first_sale']} – {training['last_sale']}"
    assert card["data_snapshot_sha256"] in html
    metrics = card["metrics"]
    assert _row(html, "对数误差（RMSLE）") == [decimal(metrics["rmsle"])]
    assert _row(html, "P10–P90 覆盖率") == [percent(metrics["coverage_80"])]
    assert _row(html, "区间宽度中位数（占估值）") == [percent(metrics["median_width_ratio"])]
    assert _row(html, "拟合窗口行数") == [str(metrics["n_fit_window"])]
    assert _row(html, "校准窗口行数") == [str(metrics["n_calibration"])]
    assert '<span class="monotone">车龄、成色等级、小时数</span>' in html  # sorted card keys
    assert "目标覆盖率 80.0%。" in html
    assert '<p class="first-version">首个版本</p>' in html
    assert "该数据来源的回测尚未运行。" in html
    assert "美国拍卖成交" not in html  # the USD limitation is for external models only
    assert "模型文件无法读取" not in html


def test_unknown_version_is_404(client, db):
    assert client.get(reverse("valuation:model_card", args=["nope"])).status_code == 404


def test_card_without_artifact_files_shows_the_registry_fields(client):
    version = ModelVersionFactory(source="external", currency="USD")
    html = _card_page(client, version.version)

    assert "模型文件无法读取，以下只显示登记表中的信息。" in html
    assert _cell(html, "n-sales") == "1,000"  # metrics.n_rows
    assert _row(html, "对数误差（RMSLE）") == ["0.250"]
    assert _row(html, "P10–P90 覆盖率") == ["80.0%"]
    assert _row(html, "拟合窗口行数") == ["850"]
    assert version.data_snapshot_hash in html
    assert "本模型用美国拍卖成交（美元）训练" in html
    assert "date-range" not in html


def test_changes_against_the_previous_version_of_the_same_source(client):
    earlier = timezone.now() - dt.timedelta(days=3)
    previous = ModelVersionFactory()
    ModelVersion.objects.filter(pk=previous.pk).update(created_at=earlier)
    ModelVersionFactory(source="external", currency="USD")  # another source: not compared
    current = ModelVersionFactory(
        features=["age", "hours", "region"],
        metrics={"rmsle": 0.231, "coverage_80": 0.82, "width": 0.55, "n_rows": 1200},
    )
    html = _section(_card_page(client, current.version), "changes")

    assert f'href="/valuation/models/{previous.version}/"' in html
    assert _row(html, "对数误差（RMSLE）")[-2:] == ["0.231", "−0.019"]
    assert _row(html, "P10–P90 覆盖率")[-2:] == ["82.0%", "+2.0%"]
    assert _row(html, "区间宽度中位数（占估值）")[-2:] == ["55.0%", "−5.0%"]
    assert _row(html, "成交记录数") == ["1,200", "+200"]
    assert _cell(html, "features-added") == "<code data-untranslated>region</code>"
    assert _cell(html, "features-removed") == "<code data-untranslated>brand</code>"
    assert _cell(html, "params-changed") == "模型文件无法读取，无法比较"


def test_changed_training_settings_between_two_trained_versions(trained, client):
    second = valuation_train(config=replace(FAST, rounds=45), force=True).version
    html = _section(_card_page(client, second.version), "changes")
    assert _cell(html, "params-changed") == "<code data-untranslated>rounds: 40 → 45</code>"
    assert _cell(html, "features-added") == "无"
    assert _row(html, "成交记录数") == ["600", "+0"]


BENCHMARK = {
    "n_train": 401125,
    "n_test": 11573,
    "rmsle": 0.27,
    "baseline_default_rmsle": 0.28,
    "baseline_tuned_rmsle": 0.276,
    "coverage_80": 0.8,
    "median_interval_width_ratio": 0.7,
    "train_seconds": 31.5,
    "predict_ms_per_row": 0.07,
}


def test_benchmark_members_and_backtest_summary_when_present(client, monkeypatch):
    version = ModelVersionFactory(code_version="git:abc")
    valuation_benchmark_record(
        figures=BENCHMARK, protocol="fit < 2012-02, score 2012-02..", version="git:abc"
    )
    valuation_benchmark_record(figures={**BENCHMARK, "rmsle": 0.9}, protocol="x", version="git:z")
    card = {
        "metrics": {"rmsle": 0.3, "coverage_80": 0.79, "median_width_ratio": 0.7, "n_train": 5},
        "members": [
            {"name": "lightgbm_categorical", "weight": 0.6, "calibration_rmsle": 0.31},
            {"name": "catboost", "weight": 0.4, "calibration_rmsle": 0.305},
        ],
    }
    monkeypatch.setattr(registry, "load_version", lambda v, **k: SimpleNamespace(card=card))
    run = BacktestRunFactory()
    BacktestMonthFactory(
        run=run, n_sales=100, within_10=0.58, median_abs_error=0.081, coverage=0.78
    )
    BacktestMonthFactory(
        run=run,
        month=dt.date(2026, 9, 1),
        n_sales=300,
        within_10=0.50,
        median_abs_error=0.095,
        coverage=0.82,
    )
    BacktestMonthFactory(
        run=run,
        month=dt.date(2026, 8, 1),
        skipped_reason="too_little_data",
        median_error=None,
        median_abs_error=None,
        within_10=None,
        within_20=None,
        coverage=None,
    )
    html = _card_page(client, version.version)

    assert "fit &lt; 2012-02, score 2012-02.." in html
    assert _row(html, "对数误差（RMSLE），本模型") == ["0.270"]
    assert _row(html, "对照：默认参数 LightGBM") == ["0.280"]
    assert _row(html, "对照：调参后 LightGBM") == ["0.276"]
    assert _row(html, "区间宽度中位数（占估值）")[0] == "70.0%"  # the card's own figure
    assert _row(html, "测试样本数") == ["11,573"]
    assert "用训练本模型的同一版代码测得" in html
    assert re.findall(
        r'<tr data-member="[^"]*"><td data-untranslated>([^<]*)</td><td class="num">([^<]*)</td>'
        r'<td class="num">([^<]*)</td>',
        html,
    ) == [
        ("lightgbm_categorical", "0.60", "0.310"),
        ("catboost", "0.40", "0.305"),
    ]
    assert "2 个月、400 笔成交被估值。" in html
    assert "1 个月因训练数据不足被跳过。" in html
    assert _row(html, "各月中位绝对误差的中位数") == ["8.8%"]
    assert _row(html, "误差在 ±10% 内") == ["52.0%"]
    pooled = html.split('class="model-card-table backtest-pooled"')[1]
    assert _row(pooled, "P10–P90 覆盖率") == ["81.0%"]
    assert _cell(html, "n-sales") == "5"


@pytest.mark.parametrize("missing_artifact", [False, True])
def test_card_in_english_has_no_chinese_left(trained, client, missing_artifact):
    if missing_artifact:
        registry.clear_cache()
        for path in registry.artifact_directory(trained).iterdir():
            path.unlink()
    first = trained
    second = valuation_train(config=replace(FAST, rounds=45), force=True).version
    if missing_artifact:
        for path in registry.artifact_directory(second).iterdir():
            path.unlink()
        registry.clear_cache()
    for version in (first, second):
        html = _card_page(client, version.version, "en")
        assert '<html lang="en">' in html
        texts = visible_text(html, "en")
        assert [text for text in texts if offending(text, "en")] == []
        assert "<h2>Data</h2>" in html
        assert "<h2>Limitations</h2>" in html
        assert ("The model files cannot be read" in html) is missing_artifact
    assert "First version" in _card_page(client, first.version, "en")
    assert "Changes since the previous version" in html
    chinese = _card_page(client, second.version)
    assert [text for text in visible_text(chinese, "zh-hans") if offending(text, "zh-hans")] == []


def test_list_is_newest_first_with_the_active_one_marked(trained, client):
    older = ModelVersionFactory(source="external", currency="USD")
    ModelVersion.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - dt.timedelta(days=1)
    )
    html = client.get(reverse("valuation:model_list")).content.decode()
    rows = re.findall(r'<tr data-version="([^"]+)"( class="model-version-active")?>', html)
    assert rows == [(trained.version, ' class="model-version-active"'), (older.version, "")]
    assert f'href="/valuation/models/{older.version}/"' in html


def test_backtest_page_and_valuation_panel_link_the_active_card(trained, client):
    href = f'href="/valuation/models/{trained.version}/"'
    assert href in client.get(reverse("valuation:backtest")).content.decode()
    page = client.get(reverse("valuation:value_my_machine"), {"equipment_model": ""})
    assert page.status_code == 200
    assert 'href="/valuation/models/"' in page.content.decode()


def test_benchmark_of_other_code_is_labelled_as_such(client):
    version = ModelVersionFactory(code_version="git:new")
    valuation_benchmark_record(figures=BENCHMARK, protocol="Blue Book", version="git:old")

    html = _card_page(client, version.version)

    assert "用另一版代码（git:old）测得的结果" in html
    assert _row(html, "对数误差（RMSLE），本模型") == ["0.270"]


def test_no_benchmark_section_without_a_recorded_run(client):
    html = _card_page(client, ModelVersionFactory().version)

    assert "公开基准（蓝皮书拍卖数据）" not in html


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ({k: v for k, v in BENCHMARK.items() if k != "rmsle"}, "基准结果缺少：rmsle"),
        ({**BENCHMARK, "coverage_80": float("nan")}, "基准结果不是有限数字：coverage_80"),
    ],
)
def test_incomplete_benchmark_is_refused(figures, message):
    from core.errors import DomainError
    from valuation.models import PipelineBenchmark

    with pytest.raises(DomainError, match=message):
        valuation_benchmark_record(figures=figures, protocol="x", version="git:a")
    assert PipelineBenchmark.objects.count() == 0
