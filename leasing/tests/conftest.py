"""Fixtures of the leasing tests: a product of the shared lessor, a listing it can finance."""

import sys
import types
from dataclasses import dataclass
from decimal import Decimal

import pytest

from leasing.tests.factories import LeaseProductFactory
from marketplace.tests.factories import CategoryFactory, MachineFactory, PublishedListingFactory


@pytest.fixture
def category(db):
    return CategoryFactory()


@pytest.fixture
def product(lessor_org, category):
    return LeaseProductFactory(lessor=lessor_org, categories=[category], name="湘江直租36")


@pytest.fixture
def listing(dealer_org, category):
    machine = MachineFactory(owner=dealer_org, year_of_manufacture=2021, current_hours=3000)
    return PublishedListingFactory(machine=machine, asking_price=Decimal("1000000.00"))


@dataclass(frozen=True)
class FakePoint:
    months: int
    p10: Decimal
    p50: Decimal
    p90: Decimal


@dataclass(frozen=True)
class FakeForecast:
    points: list


@pytest.fixture
def fake_forecast(monkeypatch):
    """Install a fake ``valuation.selectors.machine_value_forecast``; returns a setter.

    ``set_values(today=..., p10_at_end=...)``: P50 today and P10 at any later month; pass
    ``None`` to make the function return no forecast (no active model).
    """
    module = types.ModuleType("valuation.selectors")
    state: dict = {"today": None, "p10": None, "calls": []}

    def machine_value_forecast(machine, months):
        state["calls"].append((machine.pk, list(months)))
        if state["today"] is None:
            return None
        points = [
            FakePoint(
                m, state["today"] * Decimal("0.9"), state["today"], state["today"] * Decimal("1.1")
            )
            if m == 0
            else FakePoint(
                m, state["p10"], state["p10"] * Decimal("1.2"), state["p10"] * Decimal("1.4")
            )
            for m in months
        ]
        return FakeForecast(points=points)

    module.machine_value_forecast = machine_value_forecast
    monkeypatch.setitem(sys.modules, "valuation.selectors", module)

    def set_values(*, today, p10_at_end=None):
        state["today"] = None if today is None else Decimal(today)
        state["p10"] = None if p10_at_end is None else Decimal(p10_at_end)
        return state

    return set_values


@pytest.fixture
def no_valuation(monkeypatch):
    """A valuation.selectors module without the forecast function (not landed yet)."""
    from django.urls import get_resolver

    assert get_resolver().url_patterns  # load the URLconf (valuation.api) before the stand-in
    module = types.ModuleType("valuation.selectors")
    monkeypatch.setitem(sys.modules, "valuation.selectors", module)
