"""Each valuation factor once, in words (valuation.factors)."""

from django.utils import translation

from valuation.factors import factor_texts
from valuation.ml import Contribution


def test_the_size_features_are_one_line_with_their_effects_combined():
    contributions = [
        Contribution("class_size_low", 60.0, 0.20),
        Contribution("product_class", "excavator-large - 60 to 60 Metric Tons", 0.10),
        Contribution("class_size_high", 60.0, -0.05),
        Contribution("hours", 8200.0, -0.09),
    ]
    with translation.override("zh-hans"):
        lines = factor_texts(contributions)
    # 1.20 × 1.10 × 0.95 − 1 = +25.4%
    assert lines == ["吨位 60 t：+25%", "小时数 8,200：−9%"]


def test_emission_stages_are_words_in_both_spellings_and_languages():
    platform = [Contribution("emission_stage", "china4", 0.11)]
    imported = [Contribution("emission_stage", "China III", -0.04)]
    with translation.override("zh-hans"):
        assert factor_texts(platform) == ["排放标准 国四：+11%"]
        assert factor_texts(imported) == ["排放标准 国三：−4%"]
    with translation.override("en"):
        assert factor_texts(platform) == ["Emission stage China IV: +11%"]


def test_the_size_class_is_the_category_and_is_named_once_in_the_users_words():
    contributions = [
        Contribution("category", "excavator-small", -0.27),
        Contribution("size_class", "Small excavators (6–13 t)", -0.10),
        Contribution("model_number", 75.0, -0.02),
    ]
    names = {
        "excavator-small": "小型挖掘机（6–13吨）",
        "Small excavators (6–13 t)": "小型挖掘机（6–13吨）",
    }
    with translation.override("zh-hans"):
        lines = factor_texts(contributions, names, model_name="SY75C")
    # 0.73 × 0.90 − 1 = −34.3%
    assert lines == ["类别 小型挖掘机（6–13吨）：−34%", "型号 SY75C：−2%"]


def test_sale_channel_condition_and_month_are_words():
    contributions = [
        Contribution("sale_channel", "auction", -0.03),
        Contribution("condition_rank", "B", 0.04),
        Contribution("sale_month", 5.0, 0.01),
        Contribution("age", None, -0.2),
    ]
    with translation.override("zh-hans"):
        assert factor_texts(contributions) == [
            "销售方式 平台拍卖：−3%",
            "成色等级 B 级（良好）：+4%",
            "季节（月份） 5 月：+1%",
            "车龄 未知：−20%",
        ]
