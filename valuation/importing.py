"""Importing external auction records (the Blue Book CSV format) as USD sale records.

All rows are validated before anything is written: one bad row aborts the whole import,
because a half-imported file would silently change the training data. Re-importing the
same file adds nothing (records are keyed by source "external" + SalesID).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from django.db import transaction

from core.money import Currency
from marketplace.models import SaleChannel, SaleRecord, SaleSource
from marketplace.sale_records import SaleSubject, sale_record_fields
from valuation.ml import BluebookFormatError, read_bluebook_csv

BATCH = 2000


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    existing: int


def bluebook_import(
    *, path: str | os.PathLike[str], progress: Callable[[str], None] = lambda _line: None
) -> ImportResult:
    """Import every row of ``path`` or none; raises ``BluebookFormatError`` listing bad lines."""
    progress(f"validating {os.fspath(path)} …")
    frame = read_bluebook_csv(path)
    if frame["price"].isna().any():
        raise BluebookFormatError([])  # pragma: no cover - unlabeled rows fail validation first
    progress(f"{len(frame):,} rows valid")
    existing = set(
        SaleRecord.objects.filter(source=SaleSource.EXTERNAL).values_list("external_id", flat=True)
    )
    records = []
    seen = set(existing)
    for row in frame.to_dict("records"):
        external_id = str(row["external_id"])
        if external_id in seen:
            continue
        seen.add(external_id)
        records.append(_sale_record(row, external_id))
    with transaction.atomic():
        for start in range(0, len(records), BATCH):
            SaleRecord.objects.bulk_create(records[start : start + BATCH])
            progress(f"imported {min(start + BATCH, len(records)):,}/{len(records):,}")
    return ImportResult(rows=len(frame), created=len(records), existing=len(frame) - len(records))


def _sale_record(row: dict, external_id: str) -> SaleRecord:
    year = row["year"]
    hours = row["hours"]
    subject = SaleSubject(
        category_slug=row["category"],
        size_class=row["size_class"] or "",
        brand_name=row["brand"] or "unknown",
        model_name=row["model"],
        base_model=row["base_model"] or "",
        year_of_manufacture=None if _isna(year) else int(year),
        hours=None if _isna(hours) else round(hours),
        province=row["region"] or "",
        city=row["city"] or "",
        attributes=dict(row["attributes"] or {}),
    )
    return SaleRecord(
        **sale_record_fields(
            subject,
            price=Decimal(str(row["price"])),
            sold_on=row["sold_at"].date(),
            source=SaleSource.EXTERNAL,
            channel=SaleChannel.EXTERNAL_AUCTION,
            currency=Currency.USD,
            external_id=external_id,
        )
    )


def _isna(value) -> bool:
    return value is None or bool(pd.isna(value))
