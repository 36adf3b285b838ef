"""The "unusual input" signal returned with every valuation.

A calibrated band is calibrated *on average*; for a machine unlike the training data it
can be confidently wrong. These checks tell the user, in words, why a valuation deserves
less trust: a model the training data has (almost) never seen, an age or hour reading
outside the usual 1st-99th percentile for the category, an unknown year, or a valuation
date far past the newest sale the model learned from.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any, Final

from .features import ALL_CATEGORIES, RawFeatures

STALE_AFTER_DAYS: Final = 540


class Reason(str):
    """One reason as an English sentence (what the ML core reports), which also carries a
    stable ``code`` and its ``params`` so that an application can say it in its users'
    language (the platform does, in ``valuation.reasons``)."""

    code: str
    params: dict[str, Any]

    def __new__(cls, text: str, code: str, **params: Any) -> Reason:
        reason = super().__new__(cls, text)
        reason.code = code
        reason.params = params
        return reason


_RANGE_LABELS: Final[dict[str, tuple[str, str]]] = {
    "age": ("age", "years"),
    "hours": ("hours", "h"),
    "hours_per_year": ("use", "h/year"),
}


def unusual_reasons(
    raw: RawFeatures, profile: Mapping[str, Any], record: Mapping[str, Any] | None = None
) -> list[Reason]:
    """Human-readable reasons; an empty list means the input looks like the training data.

    ``record`` (the canonical input) only supplies the model code as the user wrote it.
    """
    return [
        *_category_reasons(raw, profile),
        *_model_reasons(raw, profile, record or {}),
        *_year_reasons(raw),
        *_range_reasons(raw, profile),
        *_date_reasons(raw, profile),
    ]


def _category_reasons(raw: RawFeatures, profile: Mapping[str, Any]) -> Iterator[Reason]:
    category = raw["category"]
    if category is None:
        yield Reason("category not given: the value leans on model and size alone", "category")
    elif category not in profile["counts"]["category"]:
        yield Reason(
            f"category '{category}' does not occur in the training data",
            "category_unseen",
            category=category,
        )


def _model_reasons(
    raw: RawFeatures, profile: Mapping[str, Any], record: Mapping[str, Any]
) -> Iterator[Reason]:
    """Flag only when neither the exact model nor its base model is well known.

    Exact model codes are sparse (half of them appear fewer than four times in the Blue Book
    data) but machines of a well-known base model are still valued well.
    """
    threshold = int(profile["rare_model_threshold"])
    counts = profile["counts"]
    model_count = counts["model"].get(raw["model"], 0)
    base_count = counts["base_model"].get(raw["base_model"], 0)
    if max(model_count, base_count) >= threshold:
        return
    name = str(record.get("model") or raw["model"] or raw["base_model"] or "").strip()
    best = max(model_count, base_count)
    seen = "never seen" if best == 0 else f"seen only {best}x"
    yield Reason(
        f"model '{name}' was {seen} in the training data (fewer than {threshold} sales)",
        "model_rare",
        model=name,
        seen=best,
        threshold=threshold,
    )


def _year_reasons(raw: RawFeatures) -> Iterator[Reason]:
    sale_date: date | None = raw["sale_date"]
    if raw["year"] is None:
        yield Reason(
            "year of manufacture unknown: age, the strongest price driver, is not used", "year"
        )
    elif sale_date is not None and raw["year"] > sale_date.year:
        yield Reason(
            f"year of manufacture {raw['year']} is after the valuation date",
            "year_future",
            year=raw["year"],
        )


def _range_reasons(raw: RawFeatures, profile: Mapping[str, Any]) -> Iterator[Reason]:
    ranges = profile["ranges"]
    group = raw["category"] if raw["category"] in ranges else ALL_CATEGORIES
    scope = f"for {group}" if group != ALL_CATEGORIES else "overall"
    for name, (label, unit) in _RANGE_LABELS.items():
        bounds = ranges[group].get(name)
        value = raw[name]
        if bounds is None or math.isnan(value):
            continue
        low, high = bounds
        if not low <= value <= high:
            yield Reason(
                f"{label} {value:,.0f} {unit} is outside the usual range {scope} "
                f"({low:,.0f}-{high:,.0f} {unit})",
                f"range_{name}",
                value=value,
                low=low,
                high=high,
                category=None if group == ALL_CATEGORIES else group,
            )


def _date_reasons(raw: RawFeatures, profile: Mapping[str, Any]) -> Iterator[Reason]:
    sale_date: date | None = raw["sale_date"]
    last_sale = date.fromisoformat(profile["last_sale"])
    if sale_date is not None and (sale_date - last_sale).days > STALE_AFTER_DAYS:
        yield Reason(
            f"the newest sale the model learned from is {last_sale.isoformat()}: "
            "market prices may have moved since",
            "stale",
            last_sale=last_sale,
        )
