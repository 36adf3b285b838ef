"""Human-readable factors from the model's contributions: "小时数 8,200：−9%".

The model sees one fact through several features (the category also as ``size_class``;
the size as ``class_size_low``, ``class_size_high`` and ``product_class``; the model as
``model``, ``base_model`` and its leading number). Shown one per feature, a buyer would read
"规格 60 t" and "吨位 60 t" as two reasons. :func:`factor_texts` therefore merges the
features of one fact into one line, multiplying their effects (SHAP contributions add in
log space, so the merged effect is ∏(1 + effect) − 1), and writes each value in words:
国四 / "China IV", never the code ``china4``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from marketplace.models import ConditionGrade, EmissionStage, SaleChannel
from valuation.ml import Contribution

# Each feature belongs to one fact (group); the group's label is the one shown.
GROUPS = {
    "category": "category",
    "size_class": "category",
    "class_size_low": "size",
    "class_size_high": "size",
    "product_class": "size",
    "model": "model",
    "base_model": "model",
    "model_number": "model",
}

LABELS = {
    "age": gettext_lazy("车龄"),
    "hours": gettext_lazy("小时数"),
    "sale_year": gettext_lazy("市场年份"),
    "sale_month": gettext_lazy("季节（月份）"),
    "condition_rank": gettext_lazy("成色等级"),
    "is_remanufactured": gettext_lazy("再制造"),
    "size": gettext_lazy("吨位"),
    "category": gettext_lazy("类别"),
    "brand": gettext_lazy("品牌"),
    "model": gettext_lazy("型号"),
    "region": gettext_lazy("地区"),
    "emission_stage": gettext_lazy("排放标准"),
    "sale_channel": gettext_lazy("销售方式"),
}

# Emission stages as imported records spell them ("China IV") and as the platform stores
# them ("china4"), both to the platform's label.
_EMISSION_ALIASES = {
    "china ii": EmissionStage.CHINA_II,
    "china iii": EmissionStage.CHINA_III,
    "china iv": EmissionStage.CHINA_IV,
}

_TONS = re.compile(r"-\s*(\d+(?:\.\d+)?)\s*to")


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 or value == int(value) else f"{value:,.1f}"


def _tons(value: Any) -> str | None:
    if isinstance(value, int | float):
        return f"{float(value):g} t"
    match = _TONS.search(str(value))
    return f"{float(match.group(1)):g} t" if match else None


def _choice_label(choices: Any, value: Any) -> str:
    code = str(value)
    code = _EMISSION_ALIASES.get(code.strip().lower(), code) if choices is EmissionStage else code
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def value_text(feature: str, value: Any, names: dict[str, str]) -> str:
    """One feature's value in words ("国四", "7.3 t", "15,308 小时", "3 年")."""
    if value is None or value == "":
        return pgettext("估值因素", "未知")
    if feature in ("category", "size_class", "brand"):
        return names.get(str(value), str(value))
    if feature in ("class_size_low", "class_size_high", "product_class"):
        return _tons(value) or str(value)
    if feature == "emission_stage":
        return _choice_label(EmissionStage, value)
    if feature == "sale_channel":
        return _choice_label(SaleChannel, value)
    if feature == "condition_rank":
        return _choice_label(ConditionGrade, value)
    if feature == "age":
        return _("%(years)s 年") % {"years": f"{float(value):.1f}".rstrip("0").rstrip(".")}
    if feature == "sale_month":
        return _("%(month)s 月") % {"month": int(value)}
    if feature == "sale_year":
        return str(int(value))
    if feature == "is_remanufactured":
        return _("是") if value else _("否")
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def effect_text(effect: float) -> str:
    """+0.034 -> "+3%", -0.09 -> "−9%" (a true minus sign); below 0.5% -> "±0%"."""
    percent = round(effect * 100)
    if percent == 0:
        return "±0%"
    return f"+{percent}%" if percent > 0 else f"−{abs(percent)}%"


def _merged(contributions: Iterable[Contribution]) -> list[tuple[str, list[Contribution]]]:
    """Contributions by fact, in the order of each fact's first (largest) contribution."""
    groups: dict[str, list[Contribution]] = {}
    for item in contributions:
        groups.setdefault(GROUPS.get(item.feature, item.feature), []).append(item)
    return list(groups.items())


def _group_value(
    group: str, members: list[Contribution], names: dict[str, str], model_name: str
) -> str:
    """The group's value as its most telling member shows it (the model's name rather than
    its leading number; the category's own name rather than its size class)."""
    preferred = {"model": ("model", "base_model"), "category": ("category", "size_class")}
    for feature in preferred.get(group, ()):
        for item in members:
            if item.feature == feature and item.value not in (None, ""):
                return value_text(feature, item.value, names)
    if group == "model":  # only the leading number moved the value: name the model
        return model_name or value_text("model", None, names)
    known = [item for item in members if item.value not in (None, "")]
    first = known[0] if known else members[0]
    return value_text(first.feature, first.value, names)


def factor_texts(
    contributions: Iterable[Contribution],
    names: dict[str, str] | None = None,
    *,
    model_name: str = "",
) -> list[str]:
    """One line per fact: "吨位 7.3 t：−15%". ``names`` maps codes (a category slug, its
    English name) to what users call them; ``model_name`` names the model when only its
    leading number is among the contributions."""
    names = names or {}
    lines = []
    for group, members in _merged(contributions):
        factor = 1.0
        for item in members:
            factor *= 1 + item.effect
        label = LABELS.get(group, group)
        value = _group_value(group, members, names, model_name)
        lines.append(
            _("%(label)s %(value)s：%(effect)s")
            % {"label": label, "value": value, "effect": effect_text(factor - 1)}
        )
    return lines


def factor_text(contribution: Contribution, names: dict[str, str] | None = None) -> str:
    """A single contribution as one line (see :func:`factor_texts` for a whole list)."""
    return factor_texts([contribution], names)[0]
