"""Figures as the back-test and model card pages print them (a true minus sign, "—" never
invented: a missing figure is an empty string the template replaces)."""

from typing import Any


def percent(value: Any, *, signed: bool = False) -> str:
    """0.123 -> "12.3%"; signed: -0.05 -> "−5.0%", 0.05 -> "+5.0%"; "" for a non-number."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return ""
    text = f"{value * 100:+.1f}%" if signed else f"{value * 100:.1f}%"
    return text.replace("-", "−")


def decimal(value: Any, places: int = 3, *, signed: bool = False) -> str:
    """0.2512 -> "0.251"; signed: -0.003 -> "−0.003"; "" for a non-number."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return ""
    text = f"{value:+.{places}f}" if signed else f"{value:.{places}f}"
    return text.replace("-", "−")
