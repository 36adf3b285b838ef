"""The one place that says what a ``SaleRecord`` copies, and which channel a sale came through.

A sale record is training data: it copies the machine's attributes as they were when it sold
(later edits never rewrite history). Four writers build them — a platform sale
(``listing_mark_sold``), the demo listings and the simulated sale history
(``marketplace.demo``), and imported auction records (``valuation.importing``) — all through
:func:`sale_record_fields`, so every row has the same fields filled the same way. Machines go
through :func:`sale_record_snapshot`; writers without a machine row (simulated history,
imported files) describe the machine with a :class:`SaleSubject`.

Money: the record keeps the price in the currency it was agreed in (the listing's, for a
platform sale), never converted.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from core.money import Currency, quantize_money
from marketplace.models import (
    EquipmentModel,
    Listing,
    Machine,
    SaleChannel,
    SaleFormat,
)

# The channel a sale through a listing of each sale format has. Trading's order channels use
# the same values ("fixed", "offer", "auction"), so an order's channel maps the same way.
SALE_CHANNEL_BY_FORMAT: Mapping[str, str] = {
    SaleFormat.FIXED: SaleChannel.FIXED,
    SaleFormat.OFFER: SaleChannel.OFFER,
    SaleFormat.AUCTION: SaleChannel.AUCTION,
}


def sale_channel_for(sale_format: str | None, *, default: str = SaleChannel.FIXED) -> str:
    """The sale channel of a listing sale format or order channel (``default`` if unknown)."""
    return SALE_CHANNEL_BY_FORMAT.get(sale_format or "", default)


class _CategoryLike(Protocol):
    slug: str
    name_en: str


@dataclass(frozen=True)
class SaleSubject:
    """The machine as a sale record copies it."""

    category_slug: str
    size_class: str
    brand_name: str
    model_name: str
    base_model: str
    year_of_manufacture: int | None
    hours: int | None
    province: str
    city: str
    condition_grade: str = ""
    is_remanufactured: bool = False
    emission_stage: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)


def model_attributes(
    equipment_model: EquipmentModel, *, category_root: str, accident_history: str
) -> dict[str, str]:
    """The model facts a platform record keeps beside the typed columns (all strings)."""
    return {
        "operating_weight_t": str(equipment_model.operating_weight_t or ""),
        "engine_power_kw": str(equipment_model.engine_power_kw or ""),
        "category_root": category_root,
        "accident_history": accident_history,
    }


def model_subject(
    equipment_model: EquipmentModel,
    *,
    category: _CategoryLike,
    category_root: str,
    year_of_manufacture: int | None,
    hours: int | None,
    province: str,
    city: str,
    condition_grade: str = "",
    is_remanufactured: bool = False,
    emission_stage: str = "",
    accident_history: str = "none",
    brand_name: str | None = None,
) -> SaleSubject:
    """A machine of a catalogue model described by its facts (no machine row needed)."""
    return SaleSubject(
        category_slug=category.slug,
        size_class=category.name_en or category.slug,
        brand_name=brand_name or equipment_model.brand.name,
        model_name=equipment_model.name,
        base_model=equipment_model.base_model or equipment_model.name,
        year_of_manufacture=year_of_manufacture,
        hours=hours,
        province=province,
        city=city,
        condition_grade=condition_grade,
        is_remanufactured=is_remanufactured,
        emission_stage=emission_stage,
        attributes=model_attributes(
            equipment_model, category_root=category_root, accident_history=accident_history
        ),
    )


def machine_evidence(machine: Machine) -> dict[str, str]:
    """What the machine's history proves, as the valuation model reads it (strings, like the
    other attributes): ``hours_verified`` 1 when the reading in force was taken by an
    inspection, telematics or a service visit, 0 when only the seller declared it (or there
    is no reading); ``service_records`` the number of maintenance records. No query: both are
    projections kept on the machine (``marketplace.evidence``)."""
    return {
        "hours_verified": "1" if machine.hours_verified else "0",
        "service_records": str(machine.service_record_count),
    }


def machine_subject(machine: Machine, *, category_root: str | None = None) -> SaleSubject:
    """``category_root`` saves walking the category tree when the caller knows it."""
    subject = model_subject(
        machine.equipment_model,
        category=machine.category,
        category_root=category_root or machine.category.root.slug,
        year_of_manufacture=machine.year_of_manufacture,
        hours=machine.current_hours,
        province=machine.province,
        city=machine.city,
        condition_grade=machine.condition_grade,
        is_remanufactured=machine.is_remanufactured,
        emission_stage=machine.emission_stage,
        accident_history=machine.accident_history,
        brand_name=machine.brand.name,
    )
    subject.attributes.update(machine_evidence(machine))
    return subject


def sale_record_fields(
    subject: SaleSubject,
    *,
    price: Decimal,
    sold_on: dt.date,
    source: str,
    channel: str,
    currency: str,
    external_id: str = "",
    machine: Machine | None = None,
    listing: Listing | None = None,
) -> dict[str, Any]:
    """Every field of a ``SaleRecord``: ``SaleRecord(**fields)`` or ``.create(**fields)``."""
    return {
        "machine": machine,
        "listing": listing,
        "source": source,
        "external_id": external_id,
        "sale_channel": channel if channel in SaleChannel.values else SaleChannel.FIXED,
        "sold_at": sold_on,
        "price": quantize_money(price),
        "currency": currency,
        "category_slug": subject.category_slug,
        "size_class": subject.size_class,
        "brand_name": subject.brand_name,
        "model_name": subject.model_name,
        "base_model": subject.base_model,
        "year_of_manufacture": subject.year_of_manufacture,
        "hours": subject.hours,
        "province": subject.province,
        "city": subject.city,
        "condition_grade": subject.condition_grade,
        "is_remanufactured": subject.is_remanufactured,
        "emission_stage": subject.emission_stage,
        "attributes": dict(subject.attributes),
    }


def sale_record_snapshot(
    machine: Machine,
    listing: Listing | None = None,
    *,
    price: Decimal,
    sold_on: dt.date,
    source: str,
    channel: str | None = None,
    currency: str | None = None,
    external_id: str = "",
    category_root: str | None = None,
) -> dict[str, Any]:
    """The fields of the record of ``machine`` selling (through ``listing``, if any).

    The channel defaults to the listing's sale format (fixed price without a listing), the
    currency to the listing's (CNY without a listing)."""
    if channel is None:
        channel = sale_channel_for(listing.sale_format if listing is not None else None)
    if currency is None:
        currency = listing.currency if listing is not None else Currency.CNY
    return sale_record_fields(
        machine_subject(machine, category_root=category_root),
        price=price,
        sold_on=sold_on,
        source=source,
        channel=channel,
        currency=currency,
        external_id=external_id,
        machine=machine,
        listing=listing,
    )
