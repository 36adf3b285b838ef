"""Comparable sold machines for a valuation, with the weights that are shown.

Pre-filtered in SQL (same category, year of manufacture within ±3, the same currency's sale
records; only the same base model when it has enough such sales; the newest 300), then
ranked in Python by a weighted distance over model, age, hours, region and how long ago the
sale was. A record's similarity weight is ``exp(-distance)``; the shown
weights are normalised over the table so they add up to 100%.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from marketplace.models import Brand
from valuation.models import TrainingSource
from valuation.records import sale_records

YEAR_WINDOW = 3
CANDIDATE_LIMIT = 300
# Enough sales of the same base model: rank only those (others are at least 0.5 farther).
SAME_BASE_ENOUGH = 4
DEFAULT_LIMIT = 6

# Distance weights: one unit of distance costs a factor e in similarity.
SAME_MODEL, SAME_BASE_MODEL, SAME_BRAND, OTHER_MODEL = 0.0, 0.5, 1.0, 1.5
AGE_YEARS_PER_UNIT = 2.0
HOURS_LOG_PER_UNIT = 0.5
UNKNOWN_HOURS = 0.5
SAME_CITY, SAME_PROVINCE, OTHER_REGION = 0.0, 0.2, 0.5
RECENCY_YEARS_PER_UNIT = 3.0


@dataclass(frozen=True)
class Comparable:
    record_id: int
    sold_at: dt.date
    brand: str
    model: str
    year: int | None
    hours: int | None
    city: str
    price: Decimal
    currency: str
    distance: float
    weight: Decimal  # share of the table, 0..1


_FIELDS = (
    "id",
    "sold_at",
    "brand_name",
    "model_name",
    "base_model",
    "year_of_manufacture",
    "hours",
    "province",
    "city",
    "price",
    "currency",
)


def find_comparables(
    record: dict[str, Any],
    *,
    as_of: dt.date,
    limit: int = DEFAULT_LIMIT,
    source: str = TrainingSource.PLATFORM,
) -> list[Comparable]:
    """The ``limit`` nearest sales to ``record`` (canonical keys), most similar first."""
    queryset = sale_records(source).filter(category_slug=record.get("category") or "")
    year = record.get("year")
    if year:
        queryset = queryset.filter(
            year_of_manufacture__gte=int(year) - YEAR_WINDOW,
            year_of_manufacture__lte=int(year) + YEAR_WINDOW,
        )
    rows: list[tuple] = []
    base_model = record.get("base_model") or record.get("model")
    if base_model:
        rows = _fetch(queryset.filter(base_model=base_model))
    if len(rows) < SAME_BASE_ENOUGH * limit:
        rows = _fetch(queryset)
    scored = sorted(
        ((_distance(record, row, as_of), row) for row in rows), key=lambda item: item[0]
    )[:limit]
    similarities = [math.exp(-distance) for distance, _row in scored]
    total = sum(similarities) or 1.0
    brands = _brand_names({row[2] for _distance, row in scored})
    return [
        Comparable(
            record_id=row[0],
            sold_at=row[1],
            brand=brands.get(row[2], row[2]),
            model=row[3],
            year=row[5],
            hours=row[6],
            city=row[8],
            price=row[9],
            currency=row[10],
            distance=round(distance, 3),
            weight=Decimal(str(round(similarity / total, 4))),
        )
        for (distance, row), similarity in zip(scored, similarities, strict=True)
    ]


def _fetch(queryset) -> list[tuple]:
    return list(queryset.order_by("-sold_at").values_list(*_FIELDS)[:CANDIDATE_LIMIT])


def _distance(record: dict[str, Any], row: tuple, as_of: dt.date) -> float:
    _id, sold_at, brand, model, base_model, year, hours, province, city = row[:9]
    if model == record.get("model"):
        distance = SAME_MODEL
    elif base_model and base_model == record.get("base_model"):
        distance = SAME_BASE_MODEL
    elif brand == record.get("brand"):
        distance = SAME_BRAND
    else:
        distance = OTHER_MODEL
    wanted_year = record.get("year")
    if wanted_year and year:
        age_now = as_of.year - int(wanted_year)
        age_then = sold_at.year - year
        distance += abs(age_now - age_then) / AGE_YEARS_PER_UNIT
    wanted_hours = record.get("hours")
    if wanted_hours and not math.isnan(wanted_hours) and hours:
        distance += abs(math.log1p(wanted_hours) - math.log1p(hours)) / HOURS_LOG_PER_UNIT
    else:
        distance += UNKNOWN_HOURS
    if city and city == record.get("city"):
        distance += SAME_CITY
    elif province and province == record.get("region"):
        distance += SAME_PROVINCE
    else:
        distance += OTHER_REGION
    distance += max((as_of - sold_at).days, 0) / 365.25 / RECENCY_YEARS_PER_UNIT
    return distance


def _brand_names(stored: set[str]) -> dict[str, str]:
    """Sale records keep the brand's Chinese name; shown in the active language."""
    return {brand.name: brand.display_name for brand in Brand.objects.filter(name__in=stored)}
