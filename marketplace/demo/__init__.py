"""Simulated demo data for the marketplace (``manage.py seed_demo`` calls :func:`seed_marketplace`).

Everything created here is marked simulated (``is_simulated`` on organizations, machines and
listings; ``source="simulated"`` on sale records), found again by deterministic keys (credit
codes, serial numbers, external ids) so a second run creates nothing, and generated from a
fixed-seed random stream so every run produces the same market.

Modules: ``pricing`` (the simulated market's price and usage model), ``accounts`` (demo
logins and simulated organizations), ``photos`` (placeholder listing photos), ``machines``
(machines and shared helpers), ``listings`` (listings, events, photos, sold ones),
``history`` (hour readings, maintenance), ``sales`` (the sale history).
"""

from collections.abc import Callable
from dataclasses import dataclass

from marketplace.catalog import catalog_sync
from marketplace.demo.accounts import (
    DEMO_LOGINS,
    DEMO_ORGS,
    DEMO_PASSWORD,
    DemoAccounts,
    demo_accounts_ensure,
)
from marketplace.demo.history import demo_history_seed
from marketplace.demo.listing_content import demo_listing_content_seed
from marketplace.demo.listings import demo_listings_seed, expected_value
from marketplace.demo.machines import Catalogue, demo_machines_seed
from marketplace.demo.sales import demo_sales_seed

__all__ = [
    "DEMO_LOGINS",
    "DEMO_ORGS",
    "DEMO_PASSWORD",
    "SeedSummary",
    "demo_market_value",
    "seed_marketplace",
]


@dataclass
class SeedSummary:
    accounts: DemoAccounts
    machines: int = 0
    listings: int = 0
    readings: int = 0
    sales: int = 0


def seed_marketplace(
    *, machines: int, sales: int, seed: int, log: Callable[[str], None]
) -> SeedSummary:
    """Catalogue, demo accounts, machines, listings, histories and the sale history.

    Each phase commits on its own; a phase only fills what is missing, so rerunning after an
    interruption completes the data without duplicating it.
    """
    results = catalog_sync()
    log(
        "catalogue: "
        + ", ".join(f"{name} +{r.created} ~{r.updated}" for name, r in results.items())
    )
    accounts = demo_accounts_ensure(seed=seed, log=log)
    catalogue = Catalogue.load()
    summary = SeedSummary(accounts=accounts)
    summary.machines = demo_machines_seed(
        count=machines, seed=seed, catalogue=catalogue, accounts=accounts, log=log
    )
    summary.listings = demo_listings_seed(
        seed=seed, catalogue=catalogue, accounts=accounts, log=log
    )
    summary.readings = demo_history_seed(seed=seed, log=log)
    summary.sales = demo_sales_seed(count=sales, seed=seed, catalogue=catalogue, log=log)
    demo_listing_content_seed(seed=seed, log=log)
    return summary


def demo_market_value(machine, *, on=None):
    """The simulated market's expected price of a catalogue machine (Decimal CNY), or None.

    For other apps' demo seeders that need a plausible figure before a valuation model is
    trained (an auction's opening bid, a lease's financed amount). Not a valuation.
    """
    from decimal import Decimal

    from django.utils import timezone

    from marketplace.catalog import model_specs_by_key

    spec = model_specs_by_key().get((machine.brand.slug, machine.equipment_model.name))
    if spec is None:
        return None
    value = expected_value(machine, spec, on=on or timezone.localdate())
    return Decimal(round(value, -2)).quantize(Decimal("0.01"))
