"""valuation_import_bluebook: every row validated first, line-numbered errors, all or nothing,
idempotent re-import."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from marketplace.models import SaleRecord, SaleSource

HEADER = (
    "SalesID,SalePrice,MachineID,YearMade,MachineHoursCurrentMeter,saledate,fiModelDesc,"
    "fiBaseModel,ProductSize,fiProductClassDesc,state,ProductGroup,Enclosure\n"
)
GOOD = [
    "1139246,66000.0,999089,2004,68.0,11/16/2006 0:00,521D,521,,"
    "Wheel Loader - 110.0 to 120.0 Horsepower,Alabama,WL,EROPS w AC\n",
    "1139248,57000.0,117657,1996,4640.0,3/26/2004 0:00,950FII,950,Medium,"
    "Wheel Loader - 150.0 to 175.0 Horsepower,North Carolina,WL,EROPS w AC\n",
    "1139249,10000.0,434808,1000,,2/26/2004 0:00,226,226,,"
    "Skid Steer Loader - 1351.0 to 1601.0 Lb Operating Capacity,New York,SSL,OROPS\n",
]


def _write(tmp_path, rows, name="sales.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_import_maps_rows_into_external_usd_sale_records(tmp_path, capsys):
    call_command("valuation_import_bluebook", str(_write(tmp_path, GOOD)))
    out = capsys.readouterr().out
    assert "3 rows valid" in out
    assert "3 rows: 3 imported, 0 already present" in out
    record = SaleRecord.objects.get(external_id="1139248")
    assert record.source == SaleSource.EXTERNAL
    assert record.currency == "USD"
    assert record.sale_channel == "external_auction"
    assert record.price == Decimal("57000.00")
    assert record.sold_at == dt.date(2004, 3, 26)
    assert (record.category_slug, record.size_class) == ("wheel-loader", "Medium")
    assert (record.brand_name, record.model_name, record.base_model) == ("unknown", "950FII", "950")
    assert (record.year_of_manufacture, record.hours, record.province) == (
        1996,
        4640,
        "North Carolina",
    )
    assert record.attributes["product_class"] == "Wheel Loader - 150.0 to 175.0 Horsepower"
    assert record.attributes["enclosure"] == "EROPS w AC"
    unknown = SaleRecord.objects.get(external_id="1139249")
    assert (unknown.year_of_manufacture, unknown.hours) == (None, None)


@pytest.mark.django_db
def test_reimport_is_idempotent(tmp_path, capsys):
    path = _write(tmp_path, GOOD)
    call_command("valuation_import_bluebook", str(path))
    call_command("valuation_import_bluebook", str(path))
    assert "3 rows: 0 imported, 3 already present" in capsys.readouterr().out
    assert SaleRecord.objects.filter(source=SaleSource.EXTERNAL).count() == 3


@pytest.mark.django_db
def test_a_bad_row_is_reported_with_its_line_number_and_nothing_is_imported(tmp_path, capsys):
    bad = GOOD[1].replace("57000.0", "abc")
    worse = GOOD[2].replace("2/26/2004 0:00", "2004/26/2")
    path = _write(tmp_path, [GOOD[0], bad, worse])
    with pytest.raises(CommandError, match=r"2 bad row\(s\) in .*; nothing was imported"):
        call_command("valuation_import_bluebook", str(path))
    err = capsys.readouterr().err
    assert "line 3: SalePrice 'abc' is not a number" in err
    assert "line 4: saledate '2004/26/2' is not a date (expected M/D/YYYY)" in err
    assert SaleRecord.objects.count() == 0


@pytest.mark.django_db
def test_missing_column_and_missing_file(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("SalesID,SalePrice\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("valuation_import_bluebook", str(path))
    with pytest.raises(CommandError, match="file not found"):
        call_command("valuation_import_bluebook", str(tmp_path / "absent.csv"))
    assert SaleRecord.objects.count() == 0
