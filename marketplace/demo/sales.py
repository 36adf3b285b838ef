"""Simulated sale history (``SaleRecord`` with source "simulated"): the valuation model's
training data until real platform sales and imported auction records take over.

Prices come from the same model as the demo listings (``pricing.log_value`` plus noise), so
the model can learn: age and hours depreciation by category, brand retention, condition
(recorded on about a third of rows), emission stage, accident history, region, sale channel
and the market cycle over 2019 to today. Rows are keyed by ``external_id`` ("sim-0000123").
"""

import datetime as dt
import math
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.money import Currency
from marketplace.catalog import CATEGORIES_BY_SLUG, ModelDef
from marketplace.demo.accounts import weighted_city
from marketplace.demo.machines import Catalogue, Progress, bulk_insert
from marketplace.demo.pricing import (
    PRICE_NOISE_SD,
    PriceInputs,
    emission_stage_for,
    log_value,
    rng_for,
    round_price,
    sample_accident,
    sample_condition,
    sample_hours,
)
from marketplace.models import SaleChannel, SaleRecord, SaleSource
from marketplace.sale_records import model_subject, sale_record_fields

HISTORY_START = dt.date(2019, 1, 1)
EXTERNAL_ID_PREFIX = "sim-"
GRADE_RECORDED_SHARE = 0.35
REMANUFACTURED_SHARE = 0.02
OUT_OF_PROVINCE = (
    ("湖北省", "武汉市"),
    ("广东省", "广州市"),
    ("江西省", "南昌市"),
    ("贵州省", "贵阳市"),
)
CHANNEL_WEIGHTS = (
    (SaleChannel.FIXED, 0.40),
    (SaleChannel.OFFER, 0.30),
    (SaleChannel.AUCTION, 0.15),
    (SaleChannel.EXTERNAL_AUCTION, 0.15),
)


def external_id_for(index: int) -> str:
    return f"{EXTERNAL_ID_PREFIX}{index:07d}"


def _sale_date(rng, today: dt.date) -> dt.date:
    """Later years hold more sales (the platform grows): density rises linearly with time."""
    span = (today - HISTORY_START).days
    return HISTORY_START + dt.timedelta(days=int(span * math.sqrt(rng.random())))


def plan_sale(*, index: int, seed: int, catalogue: Catalogue, today: dt.date) -> SaleRecord:
    rng = rng_for(seed, "sale", index)
    equipment_model = catalogue.pick(rng)
    spec: ModelDef = catalogue.specs[equipment_model.pk]
    sold_on = _sale_date(rng, today)
    age_years = rng.triangular(0.3, 15.0, 4.0)
    year = max((sold_on - dt.timedelta(days=int(age_years * 365.25))).year, 2000)
    hours = sample_hours(spec, age_years, rng)
    emission = emission_stage_for(year, rng)
    condition = sample_condition(age_years, hours, rng)
    accident = sample_accident(rng)
    channel = rng.choices(*zip(*CHANNEL_WEIGHTS, strict=True))[0]
    if rng.random() < 0.85:
        province, city = "湖南省", weighted_city(rng)
    else:
        province, city = rng.choice(OUT_OF_PROVINCE)
    remanufactured = rng.random() < REMANUFACTURED_SHARE
    inputs = PriceInputs(
        model=spec,
        age_years=age_years,
        hours=hours,
        sold_on=sold_on,
        condition=condition,
        emission_stage=emission,
        accident=accident,
        channel=channel,
        city=city,
        remanufactured=remanufactured,
    )
    price = round_price(math.exp(log_value(inputs) + rng.gauss(0.0, PRICE_NOISE_SD)))
    subject = model_subject(
        equipment_model,
        category=CATEGORIES_BY_SLUG[spec.category_slug],
        category_root=spec.root,
        year_of_manufacture=year,
        hours=hours,
        province=province,
        city=city,
        condition_grade=condition if rng.random() < GRADE_RECORDED_SHARE else "",
        is_remanufactured=remanufactured,
        emission_stage=emission,
        accident_history=accident,
    )
    return SaleRecord(
        **sale_record_fields(
            subject,
            price=Decimal(price),
            sold_on=sold_on,
            source=SaleSource.SIMULATED,
            channel=channel,
            currency=Currency.CNY,
            external_id=external_id_for(index),
        )
    )


def demo_sales_seed(
    *, count: int, seed: int, catalogue: Catalogue, log: Callable[[str], None]
) -> int:
    existing = set(
        SaleRecord.objects.filter(
            source=SaleSource.SIMULATED, external_id__startswith=EXTERNAL_ID_PREFIX
        ).values_list("external_id", flat=True)
    )
    today = timezone.localdate()
    records = [
        plan_sale(index=i, seed=seed, catalogue=catalogue, today=today)
        for i in range(count)
        if external_id_for(i) not in existing
    ]
    with transaction.atomic():
        bulk_insert(SaleRecord, records, Progress("sale history", len(records), log))
    return len(records)
