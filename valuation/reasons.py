"""The ML core's unusual-input reasons in the user's language.

The core (``valuation.ml.checks``) reports each reason as an English sentence with a stable
code and parameters; this module says the same in the active language (Chinese msgids, the
English catalogue repeats the core's wording).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from valuation.ml import Reason


def _number(value: float) -> str:
    return f"{round(value):,}"  # as the factors write numbers: 31,250


def _scope(category: str | None, names: dict[str, str]) -> str:
    if category is None:
        return _("全部设备")
    return names.get(category, category)


def reason_text(reason: Reason | str, names: dict[str, str] | None = None) -> str:
    """``names`` maps codes (a category slug) to what users call them. A reason without a
    code (an older or foreign core) is shown as it came."""
    names = names or {}
    code = getattr(reason, "code", None)
    params = getattr(reason, "params", {})
    if code == "category":
        return _("未填写类别：估值只依据型号和吨位。")
    if code == "category_unseen":
        category = names.get(params["category"], params["category"])
        return _("训练数据中没有“%(category)s”类别的成交。") % {"category": category}
    if code == "model_rare":
        values = {"model": params["model"], "threshold": params["threshold"]}
        if params["seen"] == 0:
            return _("型号“%(model)s”在训练数据中从未出现（少于 %(threshold)s 笔成交）。") % values
        values["seen"] = params["seen"]
        return (
            _("型号“%(model)s”在训练数据中只出现 %(seen)s 次（少于 %(threshold)s 笔成交）。")
            % values
        )
    if code == "year":
        return _("出厂年份未知：估值没有用到最重要的价格因素——车龄。")
    if code == "year_future":
        return _("出厂年份 %(year)s 晚于估值日期。") % {"year": params["year"]}
    if code in ("range_age", "range_hours", "range_hours_per_year"):
        values = {
            "value": _number(params["value"]),
            "low": _number(params["low"]),
            "high": _number(params["high"]),
            "scope": _scope(params["category"], names),
        }
        if code == "range_age":
            message = _("车龄 %(value)s 年，超出%(scope)s的常见范围（%(low)s–%(high)s 年）。")
        elif code == "range_hours":
            message = _("小时数 %(value)s 小时，超出%(scope)s的常见范围（%(low)s–%(high)s 小时）。")
        else:
            message = _(
                "年均使用 %(value)s 小时，超出%(scope)s的常见范围（%(low)s–%(high)s 小时/年）。"
            )
        return message % values
    if code == "stale":
        return _("模型学到的最新成交在 %(date)s：此后市场价格可能已有变化。") % {
            "date": params["last_sale"].isoformat()
        }
    return str(reason)
