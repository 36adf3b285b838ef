"""The simulated market: how long machines work, which emission stage they have, and what
they are worth.

One price model serves the demo listings and the simulated sale history, so the valuation
model trained on the history can learn the same structure it is later asked to price::

    log(price) = log(new price) − first-year drop − age rate·age − hours rate·hours/1000
                 + brand retention + condition + emission + accident + channel + region
                 + market cycle(sale date) + remanufactured + noise

Every coefficient is a documented constant here; none of the figures are market data.
Value never rises with age or hours, all else equal.
"""

import datetime as dt
import itertools
import math
import random
from dataclasses import dataclass

from marketplace.catalog import BRANDS_BY_SLUG, ModelDef

FIRST_YEAR_DROP = 0.12
PRICE_FLOOR_SHARE = 0.06  # a running machine is at least worth its parts

# Root category -> (log value lost per year of age, per 1,000 hours, typical hours per year).
DEPRECIATION: dict[str, tuple[float, float, int]] = {
    "excavator": (0.085, 0.030, 1500),
    "wheel-loader": (0.090, 0.022, 1700),
    "dozer": (0.075, 0.025, 1400),
    "crane": (0.070, 0.030, 1100),
    "concrete-pump-truck": (0.100, 0.035, 1200),
    "mixer-truck": (0.130, 0.020, 1900),
    "roller": (0.075, 0.025, 1000),
    "grader": (0.070, 0.025, 1100),
    "rotary-drilling-rig": (0.090, 0.030, 1400),
    "forklift": (0.100, 0.020, 1800),
    "aerial-work-platform": (0.090, 0.030, 800),
    "backhoe-loader": (0.080, 0.025, 1100),
    "skid-steer": (0.090, 0.030, 1000),
}
MINI_EXCAVATOR_HOURS_PER_YEAR = 1000

CONDITION_EFFECT = {"A": 0.10, "B": 0.04, "C": 0.0, "D": -0.15, "E": -0.45}
EMISSION_EFFECT = {"china4": 0.05, "china3": 0.0, "china2": -0.12, "": -0.03}
ACCIDENT_EFFECT = {
    "none": 0.0,
    "unknown": -0.05,
    "structural": -0.25,
    "fire": -0.35,
    "flood": -0.30,
}
CHANNEL_EFFECT = {"fixed": 0.0, "offer": -0.03, "auction": -0.08, "external_auction": -0.10}
REGION_EFFECT = {
    "长沙市": 0.02,
    "株洲市": 0.01,
    "湘潭市": 0.01,
    "岳阳市": 0.0,
    "衡阳市": 0.0,
    "常德市": -0.01,
    "益阳市": -0.01,
    "娄底市": -0.02,
    "郴州市": -0.01,
    "永州市": -0.02,
    "怀化市": -0.03,
    "邵阳市": -0.02,
    "张家界市": -0.03,
    "吉首市": -0.03,
    "武汉市": 0.01,
    "广州市": 0.03,
    "南昌市": -0.02,
    "贵阳市": -0.02,
}
REMANUFACTURED_EFFECT = 0.08
# Market cycle knots (date, log effect): the 2021 boom and the 2023–2024 slump.
MARKET_CYCLE: tuple[tuple[dt.date, float], ...] = (
    (dt.date(2019, 1, 1), 0.0),
    (dt.date(2020, 6, 1), 0.03),
    (dt.date(2021, 6, 1), 0.08),
    (dt.date(2022, 6, 1), 0.0),
    (dt.date(2023, 6, 1), -0.06),
    (dt.date(2024, 6, 1), -0.09),
    (dt.date(2025, 6, 1), -0.06),
    (dt.date(2026, 6, 1), -0.04),
)
PRICE_NOISE_SD = 0.12


def rng_for(*parts: object) -> random.Random:
    """A generator seeded by a readable key, so each simulated row is reproducible on its own."""
    return random.Random(":".join(str(part) for part in parts))  # noqa: S311 - not security


@dataclass(frozen=True)
class PriceInputs:
    model: ModelDef
    age_years: float
    hours: int
    sold_on: dt.date
    condition: str = "C"
    emission_stage: str = "china3"
    accident: str = "none"
    channel: str = "fixed"
    city: str = ""
    remanufactured: bool = False


def market_cycle(on: dt.date) -> float:
    """Piecewise-linear market effect between the knots; flat outside them."""
    knots = MARKET_CYCLE
    if on <= knots[0][0]:
        return knots[0][1]
    for (start, low), (end, high) in itertools.pairwise(knots):
        if on <= end:
            share = (on - start).days / (end - start).days
            return low + (high - low) * share
    return knots[-1][1]


def log_value(inputs: PriceInputs) -> float:
    """Expected log price (no noise) of a machine under the simulated market."""
    age_rate, hours_rate, _ = DEPRECIATION[inputs.model.root]
    age = max(inputs.age_years, 0.0)
    value = math.log(float(inputs.model.new_price))
    value -= FIRST_YEAR_DROP * min(age, 1.0)
    value -= age_rate * age + hours_rate * max(inputs.hours, 0) / 1000
    value += BRANDS_BY_SLUG[inputs.model.brand].retention
    value += CONDITION_EFFECT.get(inputs.condition, 0.0)
    value += EMISSION_EFFECT.get(inputs.emission_stage, 0.0)
    value += ACCIDENT_EFFECT.get(inputs.accident, 0.0)
    value += CHANNEL_EFFECT.get(inputs.channel, 0.0)
    value += REGION_EFFECT.get(inputs.city, 0.0)
    value += market_cycle(inputs.sold_on)
    if inputs.remanufactured:
        value += REMANUFACTURED_EFFECT
    floor = math.log(float(inputs.model.new_price) * PRICE_FLOOR_SHARE)
    return max(value, floor)


def simulated_price(inputs: PriceInputs, rng: random.Random) -> float:
    """One draw of a realised price: the expected value with log-normal noise."""
    return math.exp(log_value(inputs) + rng.gauss(0.0, PRICE_NOISE_SD))


def round_price(value: float) -> int:
    """Prices as people write them: to 1,000 yuan above 100k, to 100 below."""
    step = 1000 if value >= 100_000 else 100
    return max(step, round(value / step) * step)


def typical_hours_per_year(model: ModelDef) -> int:
    if model.root == "excavator" and (model.weight_t or 0) < 6:
        return MINI_EXCAVATOR_HOURS_PER_YEAR
    return DEPRECIATION[model.root][2]


def sample_hours(model: ModelDef, age_years: float, rng: random.Random) -> int:
    """Hours for a machine of this age: its category's usual rate with a log-normal spread."""
    per_year = typical_hours_per_year(model) * rng.lognormvariate(0.0, 0.25)
    per_year = min(max(per_year, 400), 3000)
    return int(per_year * max(age_years, 0.1))


def emission_stage_for(year: int, rng: random.Random) -> str:
    """China non-road stage III from 2016, stage IV from December 2022."""
    if year >= 2023:
        return "china4"
    if year == 2022:
        return "china4" if rng.random() < 0.25 else "china3"
    if year >= 2016:
        return "china3"
    if year >= 2014:
        return "china3" if rng.random() < 0.5 else "china2"
    return "china2"


def sample_condition(age_years: float, hours: int, rng: random.Random) -> str:
    """A condition grade that tends to fall with age and hours (Komatsu-style A–E)."""
    wear = age_years / 12 + hours / 20000 + rng.gauss(0.0, 0.25)
    if wear < 0.35 and age_years <= 3 and hours <= 3000:
        return "A"
    if wear < 0.75 and age_years <= 6 and hours <= 6000:
        return "B"
    if wear < 1.5:
        return "C"
    return "D" if rng.random() < 0.85 else "E"


def sample_accident(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.94:
        return "none"
    if roll < 0.97:
        return "unknown"
    if roll < 0.985:
        return "structural"
    return "flood" if roll < 0.993 else "fire"
