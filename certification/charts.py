"""Inline SVG chart of hour readings over time, one colour per source (no JS library)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.html import escape

WIDTH, HEIGHT, PAD = 640, 240, 40
SOURCE_COLOURS = {
    "seller": "#e67700",
    "inspection": "#2b8a3e",
    "telematics": "#364fc7",
    "service": "#862e9c",
}


@dataclass(frozen=True)
class ChartPoint:
    read_at: datetime
    hours: int
    source: str


def hours_chart_svg(points: Sequence[ChartPoint], *, labels: dict[str, str]) -> str:
    """An SVG with a grey line through all readings and a coloured dot per reading."""
    if not points:
        return ""
    ordered = sorted(points, key=lambda p: p.read_at)
    t0 = ordered[0].read_at.timestamp()
    span_t = max(ordered[-1].read_at.timestamp() - t0, 1)
    max_h = max(max(p.hours for p in ordered), 1)

    def xy(point: ChartPoint) -> tuple[float, float]:
        x = PAD + (point.read_at.timestamp() - t0) / span_t * (WIDTH - 2 * PAD)
        y = HEIGHT - PAD - point.hours / max_h * (HEIGHT - 2 * PAD)
        return round(x, 1), round(y, 1)

    line = " ".join(f"{x},{y}" for x, y in map(xy, ordered))
    dots = "".join(
        f'<circle class="reading" cx="{x}" cy="{y}" r="4" '
        f'fill="{SOURCE_COLOURS.get(p.source, "#495057")}">'
        f"<title>{p.read_at:%Y-%m-%d} · {p.hours} h · {escape(labels.get(p.source, p.source))}"
        "</title></circle>"
        for p, (x, y) in ((p, xy(p)) for p in ordered)
    )
    legend = "".join(
        f'<circle cx="{PAD + i * 120}" cy="14" r="4" fill="{colour}"/>'
        f'<text x="{PAD + i * 120 + 8}" y="18" font-size="12">{escape(labels.get(s, s))}</text>'
        for i, (s, colour) in enumerate(SOURCE_COLOURS.items())
    )
    axes = (
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'stroke="#adb5bd"/>'
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="#adb5bd"/>'
        f'<text x="4" y="{PAD}" font-size="11">{max_h} h</text>'
        f'<text x="{PAD}" y="{HEIGHT - 10}" font-size="11">{ordered[0].read_at:%Y-%m}</text>'
        f'<text x="{WIDTH - PAD - 50}" y="{HEIGHT - 10}" font-size="11">'
        f"{ordered[-1].read_at:%Y-%m}</text>"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" class="hours-chart" width="100%">{legend}{axes}'
        f'<polyline points="{line}" fill="none" stroke="#adb5bd" stroke-width="1.5"/>{dots}</svg>'
    )
