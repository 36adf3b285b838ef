"""Adapters to other apps whose read functions the passport uses in a guarded way.

The passport shows a machine's leases and encumbrances through
``leasing.selectors.machine_lease_history(machine)``. When the leasing app does not provide
it (or cannot be imported), :func:`machine_lease_history` returns ``None`` and the passport
shows "—". Entries may be mappings or objects; the leasing app's ``LeaseHistoryEntry`` fields
(``lessor_name``, ``lessee_name``, ``contract_number``, ``registry_reference``, ``start_date``,
``end_date``, ``status``, ``status_label``) are read, with the short names (``lessor``,
``start``, ``end``, ``registration_number``) as fallbacks.
"""

import importlib
from typing import Any

# passport field -> attribute names tried in order
LEASE_FIELDS: dict[str, tuple[str, ...]] = {
    "lessor": ("lessor_name", "lessor"),
    "lessee": ("lessee_name", "lessee"),
    "contract_number": ("contract_number",),
    "start": ("start_date", "start"),
    "end": ("end_date", "end"),
    "status": ("status",),
    "status_label": ("status_label", "status"),
    "registration_number": ("registry_reference", "registration_number"),
}


def _field(entry: Any, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = entry.get(name) if isinstance(entry, dict) else getattr(entry, name, None)
        if value not in (None, ""):
            return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return None


def machine_lease_history(machine) -> list[dict[str, Any]] | None:
    """Lease entries for the passport, or None when the leasing app does not provide them."""
    try:
        module = importlib.import_module("leasing.selectors")
    except ImportError:
        return None
    provider = getattr(module, "machine_lease_history", None)
    if provider is None:
        return None
    return [
        {key: _field(entry, names) for key, names in LEASE_FIELDS.items()}
        for entry in provider(machine)
    ]
