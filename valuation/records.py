"""Canonical sale records (``valuation.ml.schema``) built from the platform's own models.

The ML core never sees the ORM: this module turns ``SaleRecord`` rows and ``Machine`` rows
into the one canonical shape, so training, online valuation and back-tests build features
the same way.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

from marketplace.models import Listing, Machine, SaleChannel, SaleRecord, SaleSource
from marketplace.sale_records import SALE_CHANNEL_BY_FORMAT as CHANNEL_BY_FORMAT
from marketplace.sale_records import machine_evidence
from valuation.models import TrainingSource

# Sources and currency per training source. CNY and USD records are never mixed in one model:
# a price is only comparable to prices in the same currency and market.
SOURCES: dict[str, tuple[tuple[str, ...], str]] = {
    TrainingSource.PLATFORM: ((SaleSource.PLATFORM, SaleSource.SIMULATED), "CNY"),
    TrainingSource.EXTERNAL: ((SaleSource.EXTERNAL,), "USD"),
}

RECORD_FIELDS = (
    "id",
    "sold_at",
    "price",
    "category_slug",
    "size_class",
    "brand_name",
    "model_name",
    "base_model",
    "year_of_manufacture",
    "hours",
    "province",
    "city",
    "condition_grade",
    "is_remanufactured",
    "emission_stage",
    "sale_channel",
    "attributes",
)


def sale_records(source: str = TrainingSource.PLATFORM):
    """The queryset of sale records one model trains on (one currency)."""
    sources, currency = SOURCES[source]
    return SaleRecord.objects.filter(source__in=sources, currency=currency)


def model_attributes(attributes: dict[str, Any] | None, category_slug: str) -> dict[str, Any]:
    """Attributes the model understands; the platform's operating weight becomes a size range.

    Imported auction rows already carry canonical keys (``product_class`` etc.) and pass
    through. Platform rows carry ``operating_weight_t``: expressed as a product class
    ("excavator-medium - 21.5 to 21.5 Metric Tons") it gives the model a numeric size.
    """
    attributes = dict(attributes or {})
    weight = _decimal(attributes.get("operating_weight_t"))
    if weight and "product_class" not in attributes:
        text = f"{weight:f}"
        attributes["product_class"] = f"{category_slug} - {text} to {text} Metric Tons"
    return attributes


def record_from_sale(row: dict[str, Any]) -> dict[str, Any]:
    """One canonical record from ``SaleRecord.values(*RECORD_FIELDS)``."""
    return {
        "sold_at": row["sold_at"],
        "price": float(row["price"]),
        "category": row["category_slug"],
        "size_class": row["size_class"],
        "brand": row["brand_name"],
        "model": row["model_name"],
        "base_model": row["base_model"],
        "year": row["year_of_manufacture"],
        "hours": float(row["hours"]) if row["hours"] else math.nan,
        "region": row["province"],
        "city": row["city"],
        "condition_grade": row["condition_grade"],
        "is_remanufactured": bool(row["is_remanufactured"]),
        "emission_stage": row["emission_stage"],
        "sale_channel": row["sale_channel"],
        "attributes": model_attributes(row["attributes"], row["category_slug"]),
    }


def training_frame(source: str = TrainingSource.PLATFORM) -> pd.DataFrame:
    """Every sale record of ``source`` as a canonical frame (plus ``record_id``), oldest first."""
    rows = sale_records(source).order_by("sold_at", "id").values(*RECORD_FIELDS)
    records = []
    ids = []
    for row in rows.iterator(chunk_size=5000):
        records.append(record_from_sale(row))
        ids.append(row["id"])
    frame = frame_from_records(records)
    frame["record_id"] = ids
    return frame


def frame_from_records(records: list[dict[str, Any]]) -> pd.DataFrame:
    from valuation.ml.schema import CANONICAL_COLUMNS

    frame = pd.DataFrame.from_records(records, columns=list(CANONICAL_COLUMNS))
    frame["sold_at"] = pd.to_datetime(frame["sold_at"]).astype("datetime64[ns]")
    frame["price"] = pd.to_numeric(frame["price"], errors="coerce").astype("float64")
    frame["year"] = pd.array(
        [None if value is None or pd.isna(value) else int(value) for value in frame["year"]],
        dtype="Int64",
    )
    frame["hours"] = pd.to_numeric(frame["hours"], errors="coerce").astype("float64")
    frame["is_remanufactured"] = frame["is_remanufactured"].astype(bool)
    return frame


def record_from_machine(
    machine: Machine, *, listing: Listing | None = None, as_of: dt.date | None = None
) -> dict[str, Any]:
    """The canonical record of a machine as it would sell today (or on ``as_of``).

    Unknown year and unreported (or zero) hours stay unknown; the model treats them as
    missing instead of guessing. A brand or model the model never saw is encoded as unknown
    by the ML core and flagged as unusual.
    """
    equipment_model = machine.equipment_model
    category = machine.category
    attributes = {
        "operating_weight_t": str(equipment_model.operating_weight_t or ""),
        "engine_power_kw": str(equipment_model.engine_power_kw or ""),
        **machine_evidence(machine),
    }
    channel = CHANNEL_BY_FORMAT.get(listing.sale_format, "") if listing else SaleChannel.FIXED
    return {
        "sold_at": as_of,
        "category": category.slug,
        "size_class": category.name_en or category.slug,
        "brand": machine.brand.name,
        "model": equipment_model.name,
        "base_model": equipment_model.base_model or equipment_model.name,
        "year": machine.year_of_manufacture,
        "hours": float(machine.current_hours) if machine.current_hours else math.nan,
        "region": machine.province,
        "city": machine.city,
        "condition_grade": machine.condition_grade,
        "is_remanufactured": machine.is_remanufactured,
        "emission_stage": machine.emission_stage,
        "sale_channel": channel,
        "attributes": model_attributes(attributes, category.slug),
    }


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number.normalize() if number.is_finite() and number > 0 else None


def json_inputs(record: dict[str, Any]) -> dict[str, Any]:
    """A record as JSON for the ``Valuation.inputs`` audit column."""
    result = {}
    for key, value in record.items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, float) and math.isnan(value):
            value = None
        result[key] = value
    return result


def resolve_equipment_model(*, brand: str, model: str):
    """The catalogue model named by brand (Chinese/English name or slug) and model name."""
    from django.db.models import Q

    from marketplace.models import EquipmentModel

    brand_filter = Q(brand__name__iexact=brand) | Q(brand__name_en__iexact=brand)
    brand_filter |= Q(brand__slug__iexact=brand)
    return (
        EquipmentModel.objects.select_related("brand", "category")
        .filter(brand_filter, name__iexact=model)
        .first()
    )


def record_from_inputs(
    *,
    equipment_model=None,
    brand: str = "",
    model: str = "",
    category: str = "",
    year: int | None = None,
    hours: int | None = None,
    province: str = "",
    city: str = "",
    condition_grade: str = "",
    emission_stage: str = "",
    is_remanufactured: bool = False,
    sale_format: str = "fixed",
) -> dict[str, Any]:
    """A canonical record from a form or query: a catalogue model fills category and size.

    A brand or model outside the catalogue is valued as given (the model treats unseen
    values as unknown and the result is flagged as less certain).
    """
    from core.geo import CITIES_BY_NAME

    attributes: dict[str, Any] = {}
    size_class = ""
    base_model = model
    if equipment_model is not None:
        brand = equipment_model.brand.name
        model = equipment_model.name
        base_model = equipment_model.base_model or equipment_model.name
        category = equipment_model.category.slug
        size_class = equipment_model.category.name_en or equipment_model.category.slug
        attributes = {"operating_weight_t": str(equipment_model.operating_weight_t or "")}
    known_city = CITIES_BY_NAME.get(city)
    if known_city is not None and not province:
        province = known_city.province
    return {
        "sold_at": None,
        "category": category,
        "size_class": size_class,
        "brand": brand,
        "model": model,
        "base_model": base_model,
        "year": year,
        "hours": float(hours) if hours else math.nan,
        "region": province,
        "city": city,
        "condition_grade": condition_grade,
        "is_remanufactured": is_remanufactured,
        "emission_stage": emission_stage,
        "sale_channel": CHANNEL_BY_FORMAT.get(sale_format, SaleChannel.FIXED),
        "attributes": model_attributes(attributes, category),
    }
