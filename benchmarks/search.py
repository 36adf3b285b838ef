"""Benchmark data and query mix for ``manage.py search_benchmark`` (the benchmarks app; the
code it measures is the search app's).

The data is marked (organisations named ``BENCHMARK_MARK…``, machine serials ``BENCH-…``) and
removed afterwards by :func:`benchmark_cleanup`. The catalogue used is the reference catalogue
(``marketplace.catalog.catalog_sync``), which is reference data and stays.
"""

import datetime as dt
import random
import statistics
import time
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, OrganizationKind, SellerType
from core.geo import CITIES
from marketplace.models import (
    Category,
    ConditionGrade,
    EquipmentModel,
    Listing,
    ListingStatus,
    Machine,
    SaleFormat,
)
from search.models import ListingSearchDocument, ListingSearchEntry
from search.query import Sort, parse_search_query
from search.selectors import listing_search

BENCHMARK_MARK = "[search-benchmark]"
SERIAL_PREFIX = "BENCH-"
BATCH = 5000
CITY_WEIGHTS = {"长沙市": 30, "株洲市": 15, "湘潭市": 15}
PHRASES = [
    "车况好",
    "原版原漆",
    "手续齐全",
    "一手车主",
    "工地在用",
    "保养记录齐全",
    "发动机无维修",
    "液压系统良好",
    "可看车试机",
    "支持分期",
]
TEXTS = [
    "三一 挖掘机",
    "三一挖掘机长沙",
    "挖掘机",
    "装载机",
    "徐工",
    "小松",
    "Komatsu",
    "Komatsoo",
    "SY215",
    "PC200-8",
    "卡特 320",
    "柳工 装载机",
    "三一 挖掘机 20吨 长沙",
    "起重机",
    "中联 泵车",
    "压路机",
    "山推 推土机",
    "excavator",
    "车况好",
    "临工",
]
FACETS = ["brand", "category", "grade", "inspected", "sale_format", "seller_type", "city"]


def _progress_logger(log: Callable[[str], None], label: str, total: int):
    step = max(total // 10, 1)

    def advance(done: int) -> None:
        if done == total or done % step < BATCH:
            log(f"{label}: {done}/{total}")

    return advance


def benchmark_seed(count: int, *, seed: int, log: Callable[[str], None]) -> None:
    """Create ``count`` published listings with realistic machines (bulk inserts)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    models = list(EquipmentModel.objects.select_related("brand", "category"))
    if not models:
        raise RuntimeError("the reference catalogue is empty (run catalog_sync)")
    sellers = Organization.objects.bulk_create(
        [
            Organization(
                name=f"{BENCHMARK_MARK} {index}",
                kind=OrganizationKind.DEALER,
                seller_type=rng.choice(SellerType.values),
                province="湖南省",
                city=rng.choice(CITIES).name,
                is_simulated=True,
            )
            for index in range(60)
        ]
    )
    cities = [city for city in CITIES for _ in range(CITY_WEIGHTS.get(city.name, 4))]
    now = timezone.now()
    advance = _progress_logger(log, "benchmark listings", count)
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        plans = [_plan(start + offset, rng, models, sellers, cities, now) for offset in range(size)]
        with transaction.atomic():
            machines = Machine.objects.bulk_create([machine for machine, _ in plans])
            listings = []
            for machine, listing in zip(machines, [listing for _, listing in plans], strict=True):
                listing.machine = machine
                listings.append(listing)
            Listing.objects.bulk_create(listings)
        advance(start + size)


def _plan(index, rng, models, sellers, cities, now) -> tuple[Machine, Listing]:
    model = rng.choice(models)
    city = rng.choice(cities)
    year = rng.randint(2008, 2025)
    age = max(now.year - year, 0) + rng.random()
    hours = int(max(0, rng.gauss(1100, 300)) * age)
    seller = rng.choice(sellers)
    machine = Machine(
        equipment_model=model,
        brand=model.brand,
        category=model.category,
        serial_number=f"{SERIAL_PREFIX}{index:08d}",
        year_of_manufacture=year,
        owner=seller,
        province=city.province,
        city=city.name,
        latitude=Decimal(f"{city.latitude + rng.uniform(-0.15, 0.15):.6f}"),
        longitude=Decimal(f"{city.longitude + rng.uniform(-0.15, 0.15):.6f}"),
        current_hours=hours,
        condition_grade=rng.choice(["", *ConditionGrade.values]),
        is_inspected=rng.random() < 0.35,
        is_certified=rng.random() < 0.12,
        is_remanufactured=rng.random() < 0.04,
        is_simulated=True,
    )
    sale_format = rng.choices(SaleFormat.values, weights=[80, 10, 10])[0]
    new_price = model.new_price or Decimal(500000)
    price = (new_price * Decimal(0.88**age) * Decimal(rng.uniform(0.8, 1.2))).quantize(
        Decimal("1000")
    )
    published_at = now - dt.timedelta(minutes=rng.randint(1, 60 * 24 * 180))
    listing = Listing(
        seller=seller,
        title=f"{model.brand.name}{model.name}{model.category.name} {year}年 {rng.choice(PHRASES)}",
        description=f"{city.name}，{hours}小时，{'，'.join(rng.sample(PHRASES, 3))}。",
        sale_format=sale_format,
        asking_price=max(price, Decimal(1000)),
        status=ListingStatus.PUBLISHED,
        published_at=published_at,
        expires_at=now + dt.timedelta(days=rng.randint(1, 60)),
        is_simulated=True,
    )
    return machine, listing


def benchmark_count() -> int:
    return Listing.objects.filter(
        machine__serial_number__startswith=SERIAL_PREFIX, machine__is_simulated=True
    ).count()


def benchmark_cleanup(log: Callable[[str], None]) -> None:
    """Delete the marked rows with plain DELETE statements, children first.

    The ORM's cascading delete sends per-object signals (Wagtail keeps a reference index), which
    takes minutes for 100,000 rows; the marked rows have no other dependants, so nothing else
    needs cascading.
    """
    machines = Machine.objects.filter(serial_number__startswith=SERIAL_PREFIX, is_simulated=True)
    listings = Listing.objects.filter(machine__in=machines)
    organizations = Organization.objects.filter(name__startswith=BENCHMARK_MARK, is_simulated=True)
    with transaction.atomic():
        count = listings.count()
        for queryset in (
            ListingSearchDocument.objects.filter(entry__listing__in=listings),
            ListingSearchEntry.objects.filter(listing__in=listings),
            listings,
            machines,
            organizations,
        ):
            queryset._raw_delete(queryset.db)
    log(f"benchmark data removed ({count} listings)")


def query_mix(count: int, *, seed: int) -> list[dict[str, str]]:
    """Five shapes in turn: text; text + facets; facets + range + geo; everything; browse."""
    rng = random.Random(seed)  # noqa: S311 - reproducible query mix
    categories = list(Category.objects.filter(parent__isnull=True).values_list("slug", flat=True))
    brands = list(EquipmentModel.objects.values_list("brand__slug", flat=True).distinct())
    mix = []
    for index in range(count):
        shape = index % 5
        params: dict[str, str] = {"sort": rng.choice(Sort.ALL)}
        if shape in (0, 1, 3):
            params["q"] = rng.choice(TEXTS)
        if shape in (1, 2, 3):
            for facet in rng.sample(FACETS, 3 if shape != 1 else rng.randint(1, 3)):
                params.update(_facet(facet, rng, categories, brands))
        if shape in (2, 3):
            params.update(
                rng.choice(
                    [
                        {"year_min": str(rng.randint(2012, 2020))},
                        {"price_min": "100000", "price_max": str(rng.choice([500000, 1000000]))},
                        {"hours_max": str(rng.choice([3000, 6000, 10000]))},
                    ]
                )
            )
            params.update({"near": rng.choice(["长沙市", "株洲市", "湘潭市", "衡阳市"])})
            params["radius_km"] = str(rng.choice([25, 50, 100, 200]))
        if shape == 4:
            params["page"] = str(rng.randint(1, 5))
        mix.append(params)
    return mix


def _facet(name, rng, categories, brands) -> dict[str, str]:
    if name == "brand":
        return {"brand": rng.choice(brands)}
    if name == "category":
        return {"category": rng.choice(categories)}
    if name == "grade":
        return {"grade": rng.choice(ConditionGrade.values[:3])}
    if name == "inspected":
        return {"inspected": "1"}
    if name == "sale_format":
        return {"sale_format": rng.choice(SaleFormat.values)}
    if name == "seller_type":
        return {"seller_type": rng.choice(SellerType.values)}
    return {"city": rng.choice(["长沙市", "株洲市", "湘潭市"])}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_queries(
    mix: list[dict[str, str]],
    log: Callable[[str], None],
    *,
    warmup: list[dict[str, str]] | None = None,
) -> list[float]:
    """Time each query of ``mix``. The warm-up (connections, catalogue caches) should be other
    queries than the timed ones, so that no timed query finds its own facet counts cached."""
    for params in mix[:10] if warmup is None else warmup:
        listing_search(parse_search_query(params))
    timings = []
    for params in mix:
        started = time.perf_counter()
        result = listing_search(parse_search_query(params))
        _ids = result.listing_ids
        timings.append((time.perf_counter() - started) * 1000)
    log(f"queries: {len(timings)}, mean {statistics.fmean(timings):.1f} ms")
    return timings


def time_baseline(repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        list(Listing.objects.published().order_by("-published_at")[:20])
        timings.append((time.perf_counter() - started) * 1000)
    return timings
