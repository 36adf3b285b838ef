"""The depreciation chart as inline SVG (no JavaScript): P50 line over a P10–P90 band."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import get_language

WIDTH, HEIGHT = 480, 200
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 12, 28


@dataclass(frozen=True)
class ChartGeometry:
    width: int
    height: int
    band: str  # polygon points
    line: str  # polyline points
    dots: list[tuple[float, float, int, Decimal]]  # x, y, months, p50
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]


def depreciation_chart(points) -> ChartGeometry | None:
    """Geometry for ``points`` (``.months``, ``.p10``, ``.p50``, ``.p90``)."""
    if len(points) < 2:
        return None
    low = float(min(point.p10 for point in points))
    high = float(max(point.p90 for point in points)) or 1.0
    low = min(low, high * 0.999)
    last = max(point.months for point in points) or 1

    def x(months: int) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * months / last, 1)

    def y(value: Decimal) -> float:
        share = (float(value) - low) / (high - low)
        return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - share), 1)

    upper = [f"{x(p.months)},{y(p.p90)}" for p in points]
    lower = [f"{x(p.months)},{y(p.p10)}" for p in reversed(points)]
    ticks = [low + (high - low) * step / 3 for step in range(4)]
    return ChartGeometry(
        width=WIDTH,
        height=HEIGHT,
        band=" ".join(upper + lower),
        line=" ".join(f"{x(p.months)},{y(p.p50)}" for p in points),
        dots=[(x(p.months), y(p.p50), p.months, p.p50) for p in points],
        y_ticks=[(y(Decimal(str(value))), _tick_label(value)) for value in ticks],
        x_ticks=[(x(p.months), f"+{p.months}" if p.months else "0") for p in points],
    )


def _tick_label(value: float) -> str:
    """A price axis label in the active language: ¥12万 in Chinese, ¥120k in English."""
    if (get_language() or "").startswith("en"):
        return f"¥{value / 1000:,.0f}k"
    return f"¥{value / 10000:,.0f}万"
