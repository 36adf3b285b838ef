"""The ML core's unusual-input reasons, said in the user's language."""

from datetime import date

import pytest
from django.utils import translation

from valuation.ml import Reason
from valuation.reasons import reason_text

NAMES = {"excavator": "挖掘机"}
REASONS = [
    (Reason("category not given", "category"), "未填写类别：估值只依据型号和吨位。"),
    (
        Reason("category 'crane' …", "category_unseen", category="crane"),
        "训练数据中没有“crane”类别的成交。",
    ),
    (
        Reason("model 'ZZ900' …", "model_rare", model="ZZ900", seen=0, threshold=4),
        "型号“ZZ900”在训练数据中从未出现（少于 4 笔成交）。",
    ),
    (
        Reason("model 'PC78' …", "model_rare", model="PC78", seen=2, threshold=4),
        "型号“PC78”在训练数据中只出现 2 次（少于 4 笔成交）。",
    ),
    (Reason("year unknown", "year"), "出厂年份未知：估值没有用到最重要的价格因素——车龄。"),
    (Reason("year 2030 …", "year_future", year=2030), "出厂年份 2030 晚于估值日期。"),
    (
        Reason("age …", "range_age", value=41.4, low=1.0, high=30.0, category=None),
        "车龄 41 年，超出全部设备的常见范围（1–30 年）。",
    ),
    (
        Reason(
            "hours …", "range_hours", value=90000.0, low=0.0, high=31250.0, category="excavator"
        ),
        "小时数 90,000 小时，超出挖掘机的常见范围（0–31,250 小时）。",
    ),
    (
        Reason("use …", "range_hours_per_year", value=9000.0, low=80.0, high=2500.0, category=None),
        "年均使用 9,000 小时，超出全部设备的常见范围（80–2,500 小时/年）。",
    ),
    (
        Reason("stale …", "stale", last_sale=date(2012, 4, 28)),
        "模型学到的最新成交在 2012-04-28：此后市场价格可能已有变化。",
    ),
]


@pytest.mark.parametrize(("reason", "chinese"), REASONS)
def test_every_reason_is_said_in_chinese(reason, chinese):
    with translation.override("zh-hans"):
        assert reason_text(reason, NAMES) == chinese


def test_reasons_in_english():
    with translation.override("en"):
        texts = [reason_text(reason, {"excavator": "Excavators"}) for reason, _zh in REASONS]
    assert texts[2] == "Model “ZZ900” was never seen in the training data (fewer than 4 sales)."
    assert texts[7] == "Hours 90,000 h are outside the usual range (Excavators: 0–31,250 h)."
    assert texts[8] == "Use of 9,000 h/year is outside the usual range (overall: 80–2,500 h/year)."
    # Every reason has its English text: no Chinese left in any of them.
    assert not [text for text in texts if any("\u4e00" <= char <= "\u9fff" for char in text)]


def test_a_reason_without_a_code_is_shown_as_it_came():
    assert reason_text("something the core said") == "something the core said"
