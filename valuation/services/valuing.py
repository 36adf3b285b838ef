"""Valuing machines: every shown value is recorded with the model version behind it."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from core.money import quantize_money
from marketplace.models import Brand, Category, Listing, Machine
from valuation import registry
from valuation.comparables import Comparable, find_comparables
from valuation.factors import factor_texts
from valuation.ml import (
    forecast_value,
    predict_one,
)
from valuation.models import (
    ModelVersion,
    Valuation,
    ValuationKind,
)
from valuation.reasons import reason_text
from valuation.records import json_inputs, record_from_machine

logger = logging.getLogger(__name__)

FORECAST_MONTHS = (0, 12, 24, 36, 48, 60)


# --------------------------------------------------------------------------- valuing


@dataclass(frozen=True)
class PricePoint:
    months: int
    p10: Decimal
    p50: Decimal
    p90: Decimal


@dataclass
class MachineValuation:
    """What the panel, the estimate page and the API show, all from one computation."""

    p10: Decimal
    p50: Decimal
    p90: Decimal
    currency: str
    unusual: bool
    reasons: list[str]
    factors: list[str]
    model_version: ModelVersion
    comparables: list[Comparable] = field(default_factory=list)
    forecast: list[PricePoint] = field(default_factory=list)
    asking_price: Decimal | None = None
    fallback_from: str = ""
    record: Valuation | None = None

    @property
    def asking_vs_market(self) -> Decimal | None:
        """Asking price relative to the P50: -0.12 = 12% below market."""
        if self.asking_price is None or not self.p50:
            return None
        return ((self.asking_price / self.p50) - 1).quantize(Decimal("0.0001"))


def valuation_value_record(
    *,
    record: dict[str, Any],
    kind: str = ValuationKind.ESTIMATE,
    listing: Listing | None = None,
    machine: Machine | None = None,
    asking_price: Decimal | None = None,
    as_of: dt.date | None = None,
    with_comparables: bool = True,
    with_forecast: bool = True,
    store: bool = True,
) -> MachineValuation | None:
    """Value one canonical record with the serving model; None when no model is available."""
    serving = registry.serving_model()
    if serving is None:
        return None
    as_of = as_of or timezone.localdate()
    prediction = predict_one(serving.model, record, as_of=as_of)
    names = _names(record)
    result = MachineValuation(
        p10=quantize_money(prediction.p10),
        p50=quantize_money(prediction.p50),
        p90=quantize_money(prediction.p90),
        currency=serving.version.currency,
        unusual=prediction.unusual,
        reasons=[reason_text(reason, names) for reason in prediction.reasons],
        factors=factor_texts(
            prediction.contributions, names, model_name=str(record.get("model") or "")
        ),
        model_version=serving.version,
        asking_price=asking_price,
        fallback_from=serving.fallback_from,
    )
    if with_forecast:
        result.forecast = [
            PricePoint(
                months=point.months,
                p10=quantize_money(point.p10),
                p50=quantize_money(point.p50),
                p90=quantize_money(point.p90),
            )
            for point in forecast_value(serving.model, record, months=FORECAST_MONTHS, as_of=as_of)
        ]
    if with_comparables:
        result.comparables = find_comparables(record, as_of=as_of)
    if store:
        result.record = Valuation.objects.create(
            listing=listing,
            machine=machine,
            kind=kind,
            inputs=json_inputs(record),
            p10=result.p10,
            p50=result.p50,
            p90=result.p90,
            currency=result.currency,
            unusual=result.unusual,
            model_version=serving.version,
        )
    return result


def _names(record: dict[str, Any]) -> dict[str, str]:
    """What users call the record's coded values in the active language: the category slug
    and the size class (the category's English name, valuation.records), and the brand (stored
    by its Chinese name)."""
    names: dict[str, str] = {}
    slug = record.get("category") or ""
    category = Category.objects.filter(slug=slug).only("name", "name_en").first() if slug else None
    if category is not None:
        names[slug] = category.display_name
        if category.name_en:
            names[category.name_en] = category.display_name
    brand = record.get("brand") or ""
    brand_row = Brand.objects.filter(name=brand).only("name", "name_en").first() if brand else None
    if brand_row:
        names[brand] = brand_row.display_name
    size_class = record.get("size_class") or ""
    if size_class and size_class not in names:
        size_row = (
            Category.objects.filter(Q(name_en=size_class) | Q(slug=size_class))
            .only("name", "name_en")
            .first()
        )
        if size_row:
            names[size_class] = size_row.display_name
    return names


def valuation_value_machine(
    *,
    machine: Machine,
    listing: Listing | None = None,
    kind: str = ValuationKind.LISTING,
    **options: Any,
) -> MachineValuation | None:
    """Value a machine as it would sell today (through the listing's format, if any)."""
    record = record_from_machine(machine, listing=listing)
    asking = listing.asking_price if listing is not None else None
    return valuation_value_record(
        record=record, kind=kind, listing=listing, machine=machine, asking_price=asking, **options
    )


def valuation_for_listing(listing: Listing) -> MachineValuation | None:
    """The listing page's valuation (recorded with its model version)."""
    return valuation_value_machine(machine=listing.machine, listing=listing)
