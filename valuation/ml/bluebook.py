"""Reader for the Kaggle "Blue Book for Bulldozers" CSV format.

The Blue Book data is the project's external yardstick: real US auction results. This
module turns its rows into the canonical sale-record shape (see ``schema``) so the same
training code serves the Kaggle benchmark and the platform's own sales.

Validation is all-or-nothing by design: the import command reports every bad line
("line 17: SalePrice 'abc' is not a number") and imports nothing, because a half-imported
snapshot would silently change the training data hash and the model trained on it.
"""

from __future__ import annotations

import csv
import math
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final, TextIO

import pandas as pd

from .schema import CANONICAL_COLUMNS

PRODUCT_GROUPS: Final[dict[str, str]] = {
    "TEX": "excavator",
    "WL": "wheel-loader",
    "TTT": "dozer",
    "BL": "backhoe-loader",
    "SSL": "skid-steer",
    "MG": "grader",
}

# Blue Book configuration column -> canonical ``attributes`` key.
ATTRIBUTE_COLUMNS: Final[dict[str, str]] = {
    "fiProductClassDesc": "product_class",
    "fiSecondaryDesc": "secondary_desc",
    "fiModelSeries": "model_series",
    "fiModelDescriptor": "model_descriptor",
    "Enclosure": "enclosure",
    "Hydraulics": "hydraulics",
    "Hydraulics_Flow": "hydraulics_flow",
    "Drive_System": "drive_system",
    "Transmission": "transmission",
    "Ride_Control": "ride_control",
    "Forks": "forks",
    "Coupler": "coupler",
    "Coupler_System": "coupler_system",
    "Stick": "stick",
    "Stick_Length": "stick_length",
    "Thumb": "thumb",
    "Pattern_Changer": "pattern_changer",
    "Track_Type": "track_type",
    "Grouser_Type": "grouser_type",
    "Grouser_Tracks": "grouser_tracks",
    "Undercarriage_Pad_Width": "undercarriage_pad_width",
    "Pad_Type": "pad_type",
    "Tire_Size": "tire_size",
    "Ripper": "ripper",
    "Blade_Type": "blade_type",
    "Blade_Width": "blade_width",
    "Blade_Extension": "blade_extension",
    "Tip_Control": "tip_control",
    "Pushblock": "pushblock",
    "Scarifier": "scarifier",
    "Enclosure_Type": "enclosure_type",
    "Engine_Horsepower": "engine_hp",
    "Turbocharged": "turbocharged",
    "Backhoe_Mounting": "backhoe_mounting",
    "Travel_Controls": "travel_controls",
    "Differential_Type": "differential_type",
    "Steering_Controls": "steering_controls",
    "UsageBand": "usage_band",
    "datasource": "data_source",
    "auctioneerID": "auctioneer",
}

REQUIRED_COLUMNS: Final[tuple[str, ...]] = (
    "SalesID",
    "saledate",
    "YearMade",
    "MachineHoursCurrentMeter",
    "fiModelDesc",
    "fiBaseModel",
    "ProductGroup",
    "state",
)
PRICE_COLUMN: Final = "SalePrice"
HEADER_LINE: Final = 1

_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")

Source = str | os.PathLike[str] | TextIO


@dataclass(frozen=True)
class RowError:
    """One problem found in the file; ``line`` is the physical CSV line (header = 1)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class BluebookFormatError(ValueError):
    """The file cannot be imported; ``errors`` lists every bad line, not just the first."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        shown = "; ".join(str(error) for error in errors[:20])
        more = f" (and {len(errors) - 20} more)" if len(errors) > 20 else ""
        super().__init__(f"{len(errors)} error(s): {shown}{more}")


class _RowValueError(ValueError):
    """A cell that cannot be converted; the message is shown to the importing user."""


def validate_bluebook_csv(source: Source) -> list[RowError]:
    """Return every problem in the file (empty list = importable); never raises on data."""
    return _parse(source)[1]


def read_bluebook_csv(source: Source) -> pd.DataFrame:
    """Read a whole file as a canonical frame, or raise ``BluebookFormatError``.

    ``price`` is NaN for every row when the file has no ``SalePrice`` column (the
    unlabeled machines file); extra columns ``external_id`` (SalesID) and ``machine_id``
    help the importer stay idempotent.
    """
    records, errors = _parse(source)
    if errors:
        raise BluebookFormatError(errors)
    return canonical_frame(records)


def canonical_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Build a frame with canonical dtypes so hashing and features see stable types."""
    columns = [*CANONICAL_COLUMNS, "external_id", "machine_id"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame["sold_at"] = pd.to_datetime(frame["sold_at"]).astype("datetime64[ns]")
    frame["price"] = pd.to_numeric(frame["price"], errors="coerce").astype("float64")
    frame["year"] = pd.array(frame["year"].tolist(), dtype="Int64")
    frame["hours"] = pd.to_numeric(frame["hours"], errors="coerce").astype("float64")
    frame["is_remanufactured"] = frame["is_remanufactured"].astype(bool)
    return frame


def map_bluebook_row(row: Mapping[str, str | None], *, has_price: bool) -> dict[str, Any]:
    """Map one Blue Book row to a canonical record; raises ``ValueError`` with a user message.

    The data has no make column, so ``brand`` is "unknown" rather than a guess from the
    model code: a wrong brand would be worse than an honest unknown.
    """
    sold_at = _parse_date(_cell(row, "saledate"))
    return {
        "sold_at": sold_at,
        "price": _parse_price(_cell(row, PRICE_COLUMN)) if has_price else math.nan,
        "category": _parse_group(_cell(row, "ProductGroup")),
        "size_class": _cell(row, "ProductSize"),
        "brand": "unknown",
        "model": _required_text(row, "fiModelDesc"),
        "base_model": _cell(row, "fiBaseModel"),
        "year": _parse_year(_cell(row, "YearMade")),
        "hours": _parse_hours(_cell(row, "MachineHoursCurrentMeter")),
        "region": _cell(row, "state"),
        "city": "",
        "condition_grade": "",
        "is_remanufactured": False,
        "emission_stage": "",
        "sale_channel": "external_auction",
        "attributes": _attributes(row),
        "external_id": _cell(row, "SalesID"),
        "machine_id": _cell(row, "MachineID"),
    }


def _parse(source: Source) -> tuple[list[dict[str, Any]], list[RowError]]:
    with _text_stream(source) as handle:
        reader = csv.reader(handle)
        header = [name.strip() for name in next(reader, [])]
        if not any(header):
            return [], [RowError(HEADER_LINE, "the file is empty (no header row)")]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            message = "missing required column(s): " + ", ".join(missing)
            return [], [RowError(HEADER_LINE, message)]
        return _parse_rows(reader, header)


def _parse_rows(reader: Any, header: list[str]) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Map every row, collecting errors; a row may span lines, so report where it starts."""
    has_price = PRICE_COLUMN in header
    records: list[dict[str, Any]] = []
    errors: list[RowError] = []
    line = reader.line_num
    for cells in reader:
        first_line, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            message = f"has {len(cells)} cells but the header has {len(header)} columns"
            errors.append(RowError(first_line, message))
            continue
        row = dict(zip(header, cells, strict=True))
        try:
            records.append(map_bluebook_row(row, has_price=has_price))
        except ValueError as error:
            errors.append(RowError(first_line, str(error)))
    return records, errors


@contextmanager
def _text_stream(source: Source) -> Iterator[TextIO]:
    """Accept a path or an already open text stream; only a stream we opened is closed."""
    if not isinstance(source, str | os.PathLike):
        yield source
        return
    with Path(source).open(encoding="utf-8-sig", newline="") as handle:
        yield handle


def _cell(row: Mapping[str, str | None], column: str) -> str:
    value = row.get(column)
    return "" if value is None else value.strip()


def _required_text(row: Mapping[str, str | None], column: str) -> str:
    value = _cell(row, column)
    if not value:
        raise _RowValueError(f"{column} is empty")
    return value


def _parse_date(text: str) -> date:
    match = _US_DATE.match(text) or _ISO_DATE.match(text)
    if not match:
        raise _RowValueError(f"saledate '{text}' is not a date (expected M/D/YYYY)")
    numbers = [int(part) for part in match.groups()]
    year, month, day = numbers if match.re is _ISO_DATE else (numbers[2], *numbers[:2])
    try:
        return date(year, month, day)
    except ValueError:
        raise _RowValueError(f"saledate '{text}' is not a valid calendar date") from None


def _parse_number(text: str, column: str) -> float:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise _RowValueError(f"{column} '{text}' is not a number") from None
    if not math.isfinite(value):
        raise _RowValueError(f"{column} '{text}' is not a finite number")
    return value


def _parse_price(text: str) -> float:
    if not text:
        raise _RowValueError(f"{PRICE_COLUMN} is empty")
    value = _parse_number(text, PRICE_COLUMN)
    if value <= 0:
        raise _RowValueError(f"{PRICE_COLUMN} '{text}' must be greater than 0")
    return value


def _parse_year(text: str) -> int | None:
    """YearMade 1000 is the data's "unknown" marker; any year before 1900 is treated alike."""
    if not text:
        return None
    value = _parse_number(text, "YearMade")
    if value != int(value):
        raise _RowValueError(f"YearMade '{text}' is not a whole year")
    return int(value) if value >= 1900 else None


def _parse_hours(text: str) -> float:
    """0 and empty both mean "not reported" in the source data, so both become NaN."""
    if not text:
        return math.nan
    value = _parse_number(text, "MachineHoursCurrentMeter")
    if value < 0:
        raise _RowValueError(f"MachineHoursCurrentMeter '{text}' is negative")
    return value if value > 0 else math.nan


def _parse_group(text: str) -> str:
    try:
        return PRODUCT_GROUPS[text.upper()]
    except KeyError:
        known = ", ".join(PRODUCT_GROUPS)
        raise _RowValueError(f"ProductGroup '{text}' is not one of {known}") from None


def _attributes(row: Mapping[str, str | None]) -> dict[str, str]:
    return {key: value for key, value in _attribute_items(row) if value}


def _attribute_items(row: Mapping[str, str | None]) -> Iterator[tuple[str, str]]:
    for column, key in ATTRIBUTE_COLUMNS.items():
        yield key, _cell(row, column)
