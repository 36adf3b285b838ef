"""The adapter to the valuation app, with and without a forecast function."""

from decimal import Decimal

from leasing.valuation_adapter import SOURCE_ASKING_PRICE, SOURCE_FORECAST, machine_value_basis


def test_forecast_gives_today_p50_and_p10_at_lease_end(listing, fake_forecast):
    state = fake_forecast(today="900000", p10_at_end="300000")
    basis = machine_value_basis(listing.machine, term_months=36, asking_price=Decimal(1000000))
    assert basis.source == SOURCE_FORECAST
    assert basis.today_value == Decimal("900000.00")
    assert basis.residual_floor == Decimal("300000.00")
    assert basis.forecast_available is True
    assert state["calls"] == [(listing.machine.pk, [0, 36])]


def test_no_active_model_falls_back_to_asking_price(listing, fake_forecast):
    fake_forecast(today=None)
    basis = machine_value_basis(listing.machine, term_months=36, asking_price=Decimal(1000000))
    assert basis.source == SOURCE_ASKING_PRICE
    assert basis.today_value == Decimal(1000000)
    assert basis.residual_floor is None
    assert basis.forecast_available is False


def test_function_not_landed_falls_back_to_asking_price(listing, no_valuation):
    basis = machine_value_basis(listing.machine, term_months=24, asking_price=Decimal(500000))
    assert (basis.source, basis.today_value, basis.residual_floor) == (
        SOURCE_ASKING_PRICE,
        Decimal(500000),
        None,
    )


def test_failing_forecast_does_not_break_quotes(listing, monkeypatch, fake_forecast):
    fake_forecast(today="900000", p10_at_end="300000")
    import sys

    def broken(machine, months):
        raise RuntimeError("model file corrupt")

    monkeypatch.setattr(sys.modules["valuation.selectors"], "machine_value_forecast", broken)
    basis = machine_value_basis(listing.machine, term_months=36, asking_price=Decimal(1000000))
    assert basis.source == SOURCE_ASKING_PRICE
