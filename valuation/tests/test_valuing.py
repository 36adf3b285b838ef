"""Valuing machines and listings: feature building, the listing panel, the API and the
selectors other apps use — all showing the numbers of one service call."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.estimates import format_estimate, format_estimate_range
from core.money import format_cny
from marketplace.models import SaleRecord
from marketplace.tests.factories import (
    BrandFactory,
    EquipmentModelFactory,
    MachineFactory,
    PublishedListingFactory,
)
from valuation.models import Valuation, ValuationKind
from valuation.panels import card_extras, listing_panel
from valuation.records import record_from_inputs, record_from_machine
from valuation.selectors import latest_listing_valuations, machine_value_forecast
from valuation.services import valuation_for_listing, valuation_value_record


@pytest.mark.django_db
def test_record_from_machine_maps_the_catalogue_and_location():
    machine = MachineFactory(condition_grade="B", current_hours=8200, is_remanufactured=True)
    record = record_from_machine(machine, listing=PublishedListingFactory(machine=machine))
    assert {key: record[key] for key in ("category", "brand", "model", "base_model")} == {
        "category": "excavator",
        "brand": "三一",
        "model": "SY215C",
        "base_model": "SY215",
    }
    assert (record["year"], record["hours"], record["region"], record["city"]) == (
        2019,
        8200.0,
        "湖南省",
        "长沙市",
    )
    assert (record["condition_grade"], record["is_remanufactured"]) == ("B", True)
    assert (record["emission_stage"], record["sale_channel"]) == ("china3", "fixed")
    assert record["attributes"]["product_class"] == "excavator - 21.5 to 21.5 Metric Tons"
    assert record["sold_at"] is None


@pytest.mark.django_db
def test_unknown_year_and_zero_hours_stay_unknown(trained):
    machine = MachineFactory(year_of_manufacture=None, current_hours=0)
    record = record_from_machine(machine)
    assert record["year"] is None
    assert math.isnan(record["hours"])
    result = valuation_value_record(record=record, machine=machine)
    assert result.p10 < result.p50 < result.p90
    assert result.unusual is True
    assert "出厂年份未知：估值没有用到最重要的价格因素——车龄。" in result.reasons
    with translation.override("en"):
        english = valuation_value_record(record=record, machine=machine, store=False)
    assert (
        "Year of manufacture unknown: age, the strongest price driver, is not used."
        in english.reasons
    )


@pytest.mark.django_db
def test_unseen_brand_is_valued_and_flagged(trained):
    volvo = EquipmentModelFactory(
        brand=BrandFactory(name="沃尔沃", name_en="Volvo", slug="volvo"),
        name="EC220",
        base_model="EC220",
    )
    machine = MachineFactory(equipment_model=volvo)
    result = valuation_value_record(record=record_from_machine(machine), machine=machine)
    assert result.p50 > 0
    assert result.unusual is True
    assert any(reason.startswith("型号“EC220”在训练数据中从未出现") for reason in result.reasons)


@pytest.mark.django_db
def test_listing_valuation_is_recorded_with_its_model_version(trained):
    listing = PublishedListingFactory(asking_price=Decimal("50000.00"))
    result = valuation_for_listing(listing)
    row = Valuation.objects.get()
    assert (row.listing, row.machine, row.kind) == (listing, listing.machine, ValuationKind.LISTING)
    assert (row.p10, row.p50, row.p90) == (result.p10, result.p50, result.p90)
    assert row.model_version == trained
    assert row.inputs["model"] == "SY215C"
    assert result.p50 == result.p50.quantize(Decimal("0.01"))
    assert result.asking_vs_market == (Decimal("50000.00") / result.p50 - 1).quantize(
        Decimal("0.0001")
    )
    assert [point.months for point in result.forecast] == [0, 12, 24, 36, 48, 60]
    assert result.forecast[0].p50 == result.p50
    assert 1 <= len(result.comparables) <= 6
    assert sum(item.weight for item in result.comparables) == pytest.approx(
        Decimal(1), abs=Decimal("0.001")
    )
    weights = [item.weight for item in result.comparables]
    assert weights == sorted(weights, reverse=True)


@pytest.mark.django_db
def test_comparables_prefer_the_same_model_of_similar_age(trained):
    listing = PublishedListingFactory()
    result = valuation_for_listing(listing)
    top = result.comparables[0]
    assert top.model == "SY215C"
    assert abs(top.year - 2019) <= 3
    ids = {item.record_id for item in result.comparables}
    assert set(SaleRecord.objects.filter(pk__in=ids).values_list("category_slug", flat=True)) == {
        "excavator"
    }


@pytest.mark.django_db
def test_listing_panel_shows_value_range_comparables_chart_factors_and_version(trained):
    listing = PublishedListingFactory(asking_price=Decimal("50000.00"))
    html = listing_panel(None, listing)
    shown = Valuation.objects.get()
    # Shown rounded (core.estimates), stored exact.
    assert f'<span class="price">{format_estimate(shown.p50, "zh-hans")}</span>' in html
    assert format_estimate_range(shown.p10, shown.p90, "zh-hans") in html
    assert format_cny(shown.p50) not in html
    assert "<svg" in html and "<polygon" in html and "<polyline" in html
    assert html.count("<tr>") >= 7  # forecast rows + comparables rows
    assert "可比成交" in html
    assert f'模型版本 <a href="/valuation/models/{trained.version}/">{trained.version}</a>' in html
    result = valuation_for_listing(listing)
    for factor in result.factors:
        assert factor in html
    ratio = abs(round(result.asking_vs_market * 100))
    direction = "低" if result.asking_vs_market < 0 else "高"
    assert f"比市场价{direction} {ratio}%" in html


@pytest.mark.django_db
def test_listing_page_includes_the_panel(trained, client):
    listing = PublishedListingFactory()
    response = client.get(reverse("marketplace:listing_detail", args=[listing.pk]))
    assert response.status_code == 200
    assert 'id="valuation"' in response.content.decode()
    assert Valuation.objects.filter(listing=listing).count() == 1


@pytest.mark.django_db
def test_panel_without_a_model_says_not_available():
    listing = PublishedListingFactory()
    html = listing_panel(None, listing)
    assert "估值暂不可用：尚未训练估值模型。" in html
    assert Valuation.objects.count() == 0


@pytest.mark.django_db
def test_estimate_api_returns_exactly_the_service_numbers(trained, client):
    machine = MachineFactory()
    response = client.get(
        reverse("api-valuation-estimate"),
        {"brand": "SANY", "model": "sy215c", "year": 2019, "hours": 4200, "city": "长沙市"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    expected = valuation_value_record(
        record=record_from_inputs(
            equipment_model=machine.equipment_model, year=2019, hours=4200, city="长沙市"
        ),
        store=False,
    )
    assert (body["p10"], body["p50"], body["p90"]) == (
        str(expected.p10),
        str(expected.p50),
        str(expected.p90),
    )
    assert body["model_version"] == trained.version
    assert body["factors"] == expected.factors
    assert [point["months"] for point in body["forecast"]] == [0, 12, 24, 36, 48, 60]
    assert len(body["comparables"]) == len(expected.comparables)
    assert Valuation.objects.get(pk=body["valuation_id"]).p50 == expected.p50

    by_id = client.get(
        reverse("api-valuation-estimate"),
        {
            "equipment_model": machine.equipment_model_id,
            "year": 2019,
            "hours": 4200,
            "city": "长沙市",
        },
    ).json()
    assert by_id["p50"] == body["p50"]


@pytest.mark.django_db
def test_estimate_api_errors(client, trained):
    response = client.get(reverse("api-valuation-estimate"), {"year": 2019})
    assert response.status_code == 400
    assert response.json()["error"]["code"]


@pytest.mark.django_db
def test_estimate_api_without_model_is_404(client, sales):
    MachineFactory()
    response = client.get(reverse("api-valuation-estimate"), {"brand": "三一", "model": "SY215C"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "no_model"


@pytest.mark.django_db
def test_listing_and_models_api(trained, client):
    listing = PublishedListingFactory()
    body = client.get(reverse("api-valuation-listing", args=[listing.pk])).json()
    shown = Valuation.objects.get(listing=listing)
    assert body["p50"] == str(shown.p50)
    assert body["asking_price"] == "380000.00"
    models = client.get(reverse("api-valuation-models")).json()
    assert [item["version"] for item in models] == [trained.version]
    assert models[0]["is_active"] is True


@pytest.mark.django_db
def test_value_my_machine_page(trained, client):
    machine = MachineFactory()
    url = reverse("valuation:value_my_machine")
    assert client.get(url).status_code == 200
    response = client.get(
        url,
        {
            "equipment_model": machine.equipment_model_id,
            "year": 2019,
            "hours": 4200,
            "city": "长沙市",
            "sale_format": "fixed",
        },
    )
    shown = Valuation.objects.get(kind=ValuationKind.ESTIMATE)
    assert format_estimate(shown.p50, "zh-hans") in response.content.decode()


@pytest.mark.django_db
def test_machine_value_forecast_shape_and_monotone(trained):
    machine = MachineFactory(current_hours=3000)
    forecast = machine_value_forecast(machine, months=[0, 12, 24, 36, 48, 60])
    assert [point.months for point in forecast.points] == [0, 12, 24, 36, 48, 60]
    assert forecast.currency == "CNY"
    assert forecast.model_version == trained.version
    for point in forecast.points:
        assert all(isinstance(value, Decimal) for value in (point.p10, point.p50, point.p90))
        assert point.p10 <= point.p50 <= point.p90
    p50 = [point.p50 for point in forecast.points]
    assert p50 == sorted(p50, reverse=True)
    assert p50[-1] < p50[0]
    lease = machine_value_forecast(machine, months=[0, 36])
    assert [point.months for point in lease.points] == [0, 36]
    assert lease.points[1].p50 == forecast.points[3].p50


@pytest.mark.django_db
def test_machine_value_forecast_without_model_is_none():
    assert machine_value_forecast(MachineFactory(), months=[0, 36]) is None


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


@pytest.mark.django_db
def test_latest_listing_valuations_batch_without_n_plus_one(trained):
    listings = [PublishedListingFactory() for _ in range(10)]
    ids = [listing.pk for listing in listings]
    valuation_for_listing(listings[0])
    stored = Valuation.objects.get(listing=listings[0]).p50
    few = _queries(lambda: latest_listing_valuations(ids[:3]))
    many = _queries(lambda: latest_listing_valuations(ids))
    assert few == many
    values = latest_listing_valuations(ids)
    assert set(values) == set(ids)
    assert values[ids[0]] == stored
    assert all(isinstance(value, Decimal) and value > 0 for value in values.values())
    # the batch value equals the single valuation of the same listing
    assert values[ids[1]] == valuation_for_listing(listings[1]).p50


@pytest.mark.django_db
def test_card_badge_for_listings_under_their_valuation(trained):
    cheap = PublishedListingFactory(asking_price=Decimal("1000.00"))
    dear = PublishedListingFactory(asking_price=Decimal("99999999.00"))
    value = latest_listing_valuations([cheap.pk])[cheap.pk]
    extras = card_extras(None, [cheap, dear])
    percent = abs(round((Decimal("1000.00") / value - 1) * 100))
    assert extras == {cheap.pk: f'<span class="badge ok">低于估值 {percent}%</span>'}
