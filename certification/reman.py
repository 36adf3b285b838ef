"""Remanufacturing rate, GB/T 28620-2012 style, as a pure function.

    rate (%) = reused mass / total mass of the remanufactured product × 100

where *reused mass* = Σ quantity × unit mass of the parts reused as they were (原件再用) or
reused after remanufacturing repair (修复再用), and *total mass* = Σ quantity × unit mass of
every part listed, i.e. the reused parts plus the new replacement parts (新件替换). The result
is rounded **down** to two decimals so a certificate never overstates the share.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

REUSED = ("reused", "remanufactured")
HUNDRED = Decimal("100")
RATE_QUANTUM = Decimal("0.01")
MASS_QUANTUM = Decimal("0.001")


@dataclass(frozen=True)
class PartMass:
    disposition: str
    quantity: int
    unit_mass_kg: Decimal


@dataclass(frozen=True)
class RemanRate:
    reused_mass_kg: Decimal
    total_mass_kg: Decimal
    rate_percent: Decimal


def remanufacturing_rate(parts: Iterable[PartMass]) -> RemanRate:
    reused = Decimal("0")
    total = Decimal("0")
    for part in parts:
        if part.quantity < 1 or part.unit_mass_kg <= 0:
            raise ValueError("every part needs a quantity ≥ 1 and a positive mass")
        mass = Decimal(part.quantity) * part.unit_mass_kg
        total += mass
        if part.disposition in REUSED:
            reused += mass
    if total == 0:
        raise ValueError("no parts")
    rate = (reused / total * HUNDRED).quantize(RATE_QUANTUM, rounding=ROUND_DOWN)
    return RemanRate(reused.quantize(MASS_QUANTUM), total.quantize(MASS_QUANTUM), rate)
