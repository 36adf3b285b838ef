"""Recyclability and recoverability rates by mass, in the style of ISO 16714:2008.

    recyclability rate (%)  = (reused mass + recycled mass) / total mass × 100
    recoverability rate (%) = (reused + recycled + energy-recovered mass) / total mass × 100

The total mass is the sum of every material line (what the machine weighed on the
recycler's scale, split by fraction); the rest went to final disposal. Rates are rounded down
to two decimals so a certificate never overstates them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

RECYCLED_TREATMENTS = ("reuse", "recycle")
RECOVERED_TREATMENTS = ("reuse", "recycle", "energy")
QUANTUM = Decimal("0.01")


@dataclass(frozen=True)
class MaterialMass:
    treatment: str
    mass_kg: Decimal


@dataclass(frozen=True)
class RecoveryRates:
    total_mass_kg: Decimal
    recyclable_mass_kg: Decimal
    recoverable_mass_kg: Decimal
    recyclability_rate: Decimal
    recoverability_rate: Decimal


def _rate(part: Decimal, total: Decimal) -> Decimal:
    return (part / total * 100).quantize(QUANTUM, rounding=ROUND_DOWN)


def recovery_rates(lines: Iterable[MaterialMass]) -> RecoveryRates:
    total = recyclable = recoverable = Decimal("0")
    for line in lines:
        if line.mass_kg <= 0:
            raise ValueError("every material line needs a positive mass")
        total += line.mass_kg
        if line.treatment in RECYCLED_TREATMENTS:
            recyclable += line.mass_kg
        if line.treatment in RECOVERED_TREATMENTS:
            recoverable += line.mass_kg
    if total == 0:
        raise ValueError("no material lines")
    return RecoveryRates(
        total, recyclable, recoverable, _rate(recyclable, total), _rate(recoverable, total)
    )
