"""Simulated machines, and the helpers the other demo phases share (catalogue sampling,
progress lines, batched inserts).

Rows are written with ``bulk_create`` for speed while keeping the services' invariants:
one listing per machine (``listings``), a ``ListingEvent`` for every status a listing went
through, ``published_at``/``expires_at`` on published listings, and ``current_hours`` equal
to the latest hour reading (``history``). Every row is found again by the machine's serial
number (``SIM000123``), so a second run creates nothing, and an interrupted run is completed
by the next one: each phase works on the simulated machines that still lack its rows.
"""

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from accounts.models import Organization
from core.geo import CITIES_BY_NAME
from marketplace.catalog import ROOT_OF, ModelDef, model_specs_by_key
from marketplace.demo.accounts import DemoAccounts, weighted_city
from marketplace.demo.pricing import (
    emission_stage_for,
    rng_for,
    sample_accident,
    sample_hours,
)
from marketplace.models import (
    EquipmentModel,
    Machine,
)

BATCH = 500
SERIAL_PREFIX = "SIM"

# Share of the simulated fleet by root category, and how common each maker is in Hunan
# (SANY, Zoomlion, Sunward and CRCHI are Changsha companies).
ROOT_SHARE = {
    "excavator": 0.44,
    "wheel-loader": 0.12,
    "crane": 0.09,
    "concrete-pump-truck": 0.05,
    "mixer-truck": 0.04,
    "roller": 0.05,
    "grader": 0.03,
    "rotary-drilling-rig": 0.04,
    "forklift": 0.05,
    "aerial-work-platform": 0.04,
    "dozer": 0.03,
    "backhoe-loader": 0.01,
    "skid-steer": 0.01,
}
BRAND_POPULARITY = {
    "sany": 3.0,
    "zoomlion": 2.2,
    "xcmg": 2.0,
    "sunward": 1.5,
    "liugong": 1.3,
    "crchi": 1.2,
    "sdlg": 1.2,
    "caterpillar": 1.2,
    "komatsu": 1.2,
    "shantui": 1.0,
    "heli": 1.0,
    "hangcha": 1.0,
    "dingli": 1.0,
    "kobelco": 0.9,
    "hitachi": 0.8,
    "develon": 0.8,
    "hyundai": 0.7,
    "volvo": 0.6,
    "bobcat": 0.6,
    "jcb": 0.5,
    "liebherr": 0.3,
}


@dataclass
class Catalogue:
    models: list[EquipmentModel]
    specs: dict[int, ModelDef]
    weights: list[float]

    def __post_init__(self) -> None:
        self.cum_weights = list(itertools.accumulate(self.weights))

    def pick(self, rng) -> EquipmentModel:
        """A model drawn by market share (cumulative weights computed once, not per draw)."""
        return rng.choices(self.models, cum_weights=self.cum_weights)[0]

    @classmethod
    def load(cls) -> "Catalogue":
        specs_by_key = model_specs_by_key()
        models = list(
            EquipmentModel.objects.select_related("brand", "category").order_by(
                "brand__slug", "name"
            )
        )
        models = [m for m in models if (m.brand.slug, m.name) in specs_by_key]
        specs = {m.pk: specs_by_key[(m.brand.slug, m.name)] for m in models}
        per_root: dict[str, float] = {}
        for m in models:
            root = specs[m.pk].root
            per_root[root] = per_root.get(root, 0.0) + BRAND_POPULARITY.get(m.brand.slug, 1.0)
        weights = [
            ROOT_SHARE.get(specs[m.pk].root, 0.01)
            * BRAND_POPULARITY.get(m.brand.slug, 1.0)
            / per_root[specs[m.pk].root]
            for m in models
        ]
        return cls(models=models, specs=specs, weights=weights)


class Progress:
    """Progress lines for a phase: ``machines: 500/2000 (25%)``."""

    def __init__(self, label: str, total: int, log: Callable[[str], None]) -> None:
        self.label, self.total, self.log, self.done, self.shown = label, total, log, 0, -1
        if total == 0:
            log(f"{label}: nothing new")

    def advance(self, count: int) -> None:
        """Log at most every 10%, and always at the end."""
        self.done += count
        percent = 100 * self.done // max(self.total, 1)
        if percent // 10 > self.shown // 10 or self.done >= self.total:
            self.shown = percent
            self.log(f"{self.label}: {self.done}/{self.total} ({percent}%)")


def bulk_insert(model: type[Model], rows: Sequence[Model], progress: Progress) -> None:
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        model.objects.bulk_create(chunk, batch_size=BATCH)
        progress.advance(len(chunk))


def serial_for(index: int) -> str:
    return f"{SERIAL_PREFIX}{index:06d}"


def root_slug(machine: Machine) -> str:
    return ROOT_OF[machine.category.slug]


# --- machines --------------------------------------------------------------------------------


def _owner_for(index: int, count: int, accounts: DemoAccounts, rng) -> Organization:
    dealer_quota = max(10, count // 50)
    dealer2_quota = dealer_quota + max(5, count // 100)
    if index < dealer_quota:
        return accounts.orgs["dealer"]
    if index < dealer2_quota:
        return accounts.orgs["dealer2"]
    return rng.choice(accounts.sellers)


def plan_machine(
    *, index: int, count: int, seed: int, catalogue: Catalogue, accounts: DemoAccounts
) -> Machine:
    rng = rng_for(seed, "machine", index)
    equipment_model = catalogue.pick(rng)
    spec = catalogue.specs[equipment_model.pk]
    owner = _owner_for(index, count, accounts, rng)
    city = CITIES_BY_NAME[owner.city if rng.random() < 0.75 else weighted_city(rng)]
    today = timezone.localdate()
    age_years = rng.triangular(0.3, 14.0, 3.5)
    built = today - dt.timedelta(days=int(age_years * 365.25))
    return Machine(
        equipment_model=equipment_model,
        brand=equipment_model.brand,
        category=equipment_model.category,
        serial_number=serial_for(index),
        year_of_manufacture=built.year,
        emission_stage=emission_stage_for(built.year, rng),
        owner=owner,
        province=city.province,
        city=city.name,
        district=rng.choice(city.district_examples),
        latitude=Decimal(f"{city.latitude + rng.uniform(-0.06, 0.06):.6f}"),
        longitude=Decimal(f"{city.longitude + rng.uniform(-0.06, 0.06):.6f}"),
        accident_history=sample_accident(rng),
        current_hours=sample_hours(spec, age_years, rng),
        is_simulated=True,
    )


def demo_machines_seed(
    *,
    count: int,
    seed: int,
    catalogue: Catalogue,
    accounts: DemoAccounts,
    log: Callable[[str], None],
) -> int:
    existing = set(
        Machine.objects.filter(
            is_simulated=True, serial_number__startswith=SERIAL_PREFIX
        ).values_list("serial_number", flat=True)
    )
    machines = [
        plan_machine(index=i, count=count, seed=seed, catalogue=catalogue, accounts=accounts)
        for i in range(count)
        if serial_for(i) not in existing
    ]
    with transaction.atomic():
        bulk_insert(Machine, machines, Progress("machines", len(machines), log))
    return len(machines)
