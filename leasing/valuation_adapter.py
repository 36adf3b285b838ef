"""The one place where leasing asks the valuation app what a machine is worth.

Interface relied on (built by the valuation app)::

    valuation.selectors.machine_value_forecast(machine, months=[0, term]) -> Forecast | None

where ``Forecast.points`` is a list of items with ``.months`` (int) and ``.p10``, ``.p50``,
``.p90`` (Decimal CNY), and ``None`` means no model is active. Today's value is the P50 at
month 0 (the loan-to-value base); the residual floor is the P10 at the lease end (no
balloon or guaranteed residual may exceed it).

While that function does not exist or returns nothing, today's value falls back to the
listing's asking price and no balloon is allowed.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.money import quantize_money
from marketplace.models import Machine

logger = logging.getLogger(__name__)

SOURCE_FORECAST = "forecast"
SOURCE_ASKING_PRICE = "asking_price"


@dataclass(frozen=True)
class ValueBasis:
    """What a lessor may lend against: today's value and the forecast floor at lease end."""

    today_value: Decimal | None
    residual_floor: Decimal | None
    source: str

    @property
    def forecast_available(self) -> bool:
        return self.source == SOURCE_FORECAST and self.residual_floor is not None

    @staticmethod
    def unavailable_message() -> str:
        return _("残值预测暂不可用")


def _forecast_function():
    """valuation.selectors.machine_value_forecast, or None until it has landed."""
    try:
        module = importlib.import_module("valuation.selectors")
        return module.machine_value_forecast
    except (ImportError, AttributeError):
        return None


def machine_value_basis(
    machine: Machine, *, term_months: int, asking_price: Decimal | None
) -> ValueBasis:
    """Today's value and residual floor for a lease of ``term_months`` on ``machine``."""
    forecast_function = _forecast_function()
    forecast = None
    if forecast_function is not None:
        try:
            forecast = forecast_function(machine, months=[0, term_months])
        except Exception:  # a valuation failure must not take the listing page down
            logger.exception("valuation forecast failed for machine %s", machine.pk)
            forecast = None
    points = {point.months: point for point in getattr(forecast, "points", None) or []}
    if 0 not in points:
        return ValueBasis(today_value=asking_price, residual_floor=None, source=SOURCE_ASKING_PRICE)
    today = quantize_money(points[0].p50)
    end = points.get(term_months)
    floor = quantize_money(end.p10) if end is not None else None
    return ValueBasis(today_value=today, residual_floor=floor, source=SOURCE_FORECAST)
