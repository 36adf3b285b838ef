"""Human-readable factors from the model's contributions: "小时数 8,200：−9%"."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from valuation.ml import Contribution

LABELS = {
    "age": gettext_lazy("车龄"),
    "hours": gettext_lazy("小时数"),
    "sale_year": gettext_lazy("市场年份"),
    "sale_month": gettext_lazy("季节（月份）"),
    "condition_rank": gettext_lazy("成色等级"),
    "is_remanufactured": gettext_lazy("再制造"),
    "class_size_low": gettext_lazy("吨位"),
    "class_size_high": gettext_lazy("吨位"),
    "model_number": gettext_lazy("型号规格"),
    "category": gettext_lazy("类别"),
    "size_class": gettext_lazy("规格档"),
    "brand": gettext_lazy("品牌"),
    "model": gettext_lazy("型号"),
    "base_model": gettext_lazy("基础型号"),
    "region": gettext_lazy("地区"),
    "emission_stage": gettext_lazy("排放标准"),
    "sale_channel": gettext_lazy("销售方式"),
    "product_class": gettext_lazy("规格"),
}


_TONS = re.compile(r"-\s*(\d+(?:\.\d+)?)\s*to")


def _value_text(feature: str, value: Any, names: dict[str, str]) -> str:
    if value is None:
        return pgettext("估值因素", "未知")
    if feature in ("category", "brand", "size_class"):
        return names.get(str(value), str(value))
    if feature == "product_class":
        match = _TONS.search(str(value))
        return f"{match.group(1)} t" if match else str(value)
    if feature in ("class_size_low", "class_size_high"):
        return f"{float(value):g} t"
    if feature == "age":
        return _("%(years)s 年") % {"years": f"{float(value):.1f}".rstrip("0").rstrip(".")}
    if feature == "is_remanufactured":
        return _("是") if value else _("否")
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 100 or value == int(value) else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def effect_text(effect: float) -> str:
    """+0.034 -> "+3%", -0.09 -> "−9%" (a true minus sign); below 0.5% -> "±0%"."""
    percent = round(effect * 100)
    if percent == 0:
        return "±0%"
    return f"+{percent}%" if percent > 0 else f"−{abs(percent)}%"


def factor_text(contribution: Contribution, names: dict[str, str] | None = None) -> str:
    """``names`` maps codes (a category slug) to what users call them."""
    label = LABELS.get(contribution.feature, contribution.feature)
    value = _value_text(contribution.feature, contribution.value, names or {})
    return f"{label} {value}{_('：')}{effect_text(contribution.effect)}"
