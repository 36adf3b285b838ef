from decimal import Decimal

import pytest

from recycling.rates import MaterialMass, recovery_rates


def test_iso_16714_style_rates():
    rates = recovery_rates(
        [
            MaterialMass("recycle", Decimal("15000")),  # steel
            MaterialMass("reuse", Decimal("2000")),  # components
            MaterialMass("energy", Decimal("1000")),  # rubber
            MaterialMass("disposal", Decimal("1000")),  # glass, residues
        ]
    )
    assert rates.total_mass_kg == Decimal("19000")
    assert rates.recyclable_mass_kg == Decimal("17000")
    assert rates.recoverable_mass_kg == Decimal("18000")
    assert rates.recyclability_rate == Decimal("89.47")  # 89.473… rounded down
    assert rates.recoverability_rate == Decimal("94.73")  # 94.736… rounded down


@pytest.mark.parametrize("lines", [[], [MaterialMass("recycle", Decimal("0"))]])
def test_rates_refuse_empty_or_massless_lines(lines):
    with pytest.raises(ValueError):
        recovery_rates(lines)
