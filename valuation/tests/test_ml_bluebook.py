"""Blue Book CSV reader: mapping to canonical records and all-or-nothing validation."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd
import pytest

from valuation.ml.bluebook import (
    BluebookFormatError,
    RowError,
    read_bluebook_csv,
    validate_bluebook_csv,
)

HEADER = (
    "SalesID,SalePrice,MachineID,YearMade,MachineHoursCurrentMeter,UsageBand,saledate,"
    "fiModelDesc,fiBaseModel,fiSecondaryDesc,ProductSize,fiProductClassDesc,state,"
    "ProductGroup,Enclosure,Hydraulics,Stick"
)
GOOD_ROWS = [
    "1,66000.0,999,2004,68.0,Low,11/16/2006 0:00,521D,521,D,,"
    "Wheel Loader - 110.0 to 120.0 Horsepower,Alabama,WL,EROPS w AC,2 Valve,",
    "2,57000,117,1000,0,,3/26/2004 0:00,950FII,950,F,Medium,"
    '"Hydraulic Excavator, Track - 21.0 to 24.0 Metric Tons",North Carolina,TEX,OROPS,,Standard',
]


def write_csv(tmp_path: Path, lines: list[str], name: str = "sales.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_rows_map_to_canonical_records(tmp_path: Path) -> None:
    frame = read_bluebook_csv(write_csv(tmp_path, [HEADER, *GOOD_ROWS]))

    first, second = frame.iloc[0], frame.iloc[1]
    assert list(frame["category"]) == ["wheel-loader", "excavator"]
    assert first["sold_at"] == pd.Timestamp("2006-11-16")
    assert first["price"] == 66000.0
    assert first["model"] == "521D"
    assert first["base_model"] == "521"
    assert first["year"] == 2004
    assert first["hours"] == 68.0
    assert first["region"] == "Alabama"
    assert first["brand"] == "unknown"
    assert first["sale_channel"] == "external_auction"
    assert first["size_class"] == ""
    assert first["attributes"] == {
        "product_class": "Wheel Loader - 110.0 to 120.0 Horsepower",
        "secondary_desc": "D",
        "enclosure": "EROPS w AC",
        "hydraulics": "2 Valve",
        "usage_band": "Low",
    }
    assert second["size_class"] == "Medium"
    assert second["attributes"]["stick"] == "Standard"
    assert frame["external_id"].tolist() == ["1", "2"]


def test_unknown_year_and_unreported_hours_become_missing(tmp_path: Path) -> None:
    frame = read_bluebook_csv(write_csv(tmp_path, [HEADER, *GOOD_ROWS]))

    assert frame["year"].isna().tolist() == [False, True]
    assert math.isnan(frame.iloc[1]["hours"])
    assert str(frame["year"].dtype) == "Int64"


def test_file_without_price_column_reads_with_missing_prices() -> None:
    header = HEADER.replace("SalesID,SalePrice,", "SalesID,")
    row = GOOD_ROWS[0].replace("1,66000.0,", "1,", 1)
    frame = read_bluebook_csv(io.StringIO(f"{header}\n{row}\n"))

    assert len(frame) == 1
    assert math.isnan(frame.iloc[0]["price"])


def test_validation_reports_every_bad_line_with_its_number(tmp_path: Path) -> None:
    rows = [
        GOOD_ROWS[0],
        GOOD_ROWS[1].replace("57000", "abc"),
        GOOD_ROWS[0].replace("11/16/2006 0:00", "someday"),
        GOOD_ROWS[0].replace("66000.0", "-5"),
        GOOD_ROWS[0].replace(",WL,", ",XYZ,"),
        GOOD_ROWS[0].replace(",66000.0,", ",,"),
    ]
    path = write_csv(tmp_path, [HEADER, *rows])

    errors = validate_bluebook_csv(path)

    assert [str(error) for error in errors] == [
        "line 3: SalePrice 'abc' is not a number",
        "line 4: saledate 'someday' is not a date (expected M/D/YYYY)",
        "line 5: SalePrice '-5' must be greater than 0",
        "line 6: ProductGroup 'XYZ' is not one of TEX, WL, TTT, BL, SSL, MG",
        "line 7: SalePrice is empty",
    ]


def test_reading_a_file_with_errors_imports_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path, [HEADER, GOOD_ROWS[0], GOOD_ROWS[1].replace("57000", "abc")])

    with pytest.raises(BluebookFormatError) as raised:
        read_bluebook_csv(path)

    assert raised.value.errors == [RowError(3, "SalePrice 'abc' is not a number")]
    assert "line 3: SalePrice 'abc' is not a number" in str(raised.value)


def test_missing_required_columns_give_one_clear_error(tmp_path: Path) -> None:
    header = HEADER.replace(",saledate", "").replace(",state", "")
    path = write_csv(tmp_path, [header, "1,2,3"])

    assert validate_bluebook_csv(path) == [
        RowError(1, "missing required column(s): saledate, state")
    ]


def test_line_numbers_follow_quoted_multiline_cells_and_ragged_rows(tmp_path: Path) -> None:
    multiline = GOOD_ROWS[1].replace('"Hydraulic Excavator,', '"Hydraulic\nExcavator,')
    rows = [multiline, GOOD_ROWS[0] + ",extra", GOOD_ROWS[0].replace("68.0", "lots")]
    path = write_csv(tmp_path, [HEADER, *rows])

    assert [str(error) for error in validate_bluebook_csv(path)] == [
        "line 4: has 18 cells but the header has 17 columns",
        "line 5: MachineHoursCurrentMeter 'lots' is not a number",
    ]


def test_empty_file_is_reported() -> None:
    assert validate_bluebook_csv(io.StringIO("")) == [
        RowError(1, "the file is empty (no header row)")
    ]
