"""The reference catalogue: category tree with size classes, makers and their models.

This is reference data, not user content. The data lives in ``marketplace/data/``
(``categories.json``, ``brands.json``, ``models.json``; fields described in its README) and
is loaded once at import into the frozen definitions below; :func:`catalog_sync` creates or
updates the database rows idempotently (keyed by category slug, brand slug and
``(brand, model name)``), so it can run on every ``seed_demo`` and on production to pick up
new models. New prices are approximate list prices in CNY for the Chinese market, good
enough to anchor depreciation curves; they are not quotes.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from marketplace.models import Brand, Category, EquipmentModel, SizeUnit

DATA_DIR = Path(__file__).resolve().parent / "data"


class CatalogDataError(ValueError):
    """A data file is inconsistent (unknown brand or category, duplicate key, bad unit)."""


def _read(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as file:
        return json.load(file)


# --- categories ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryDef:
    slug: str
    name: str
    name_en: str
    size_unit: str = ""
    size_min: Decimal | None = None
    size_max: Decimal | None = None
    children: tuple["CategoryDef", ...] = ()


def _d(value: float | int | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _category(row: dict) -> CategoryDef:
    if row.get("size_unit", "") not in {"", *SizeUnit.values}:
        raise CatalogDataError(f"category {row['slug']}: unknown size unit {row['size_unit']!r}")
    return CategoryDef(
        slug=row["slug"],
        name=row["name"],
        name_en=row["name_en"],
        size_unit=row.get("size_unit", ""),
        size_min=_d(row.get("size_min")),
        size_max=_d(row.get("size_max")),
        children=tuple(_category(child) for child in row.get("children", ())),
    )


def categories_from(rows: list[dict]) -> tuple[CategoryDef, ...]:
    """The category tree from the rows of ``categories.json`` (roots with their children)."""
    return tuple(_category(row) for row in rows)


CATEGORY_TREE: tuple[CategoryDef, ...] = categories_from(_read("categories.json"))


def iter_categories() -> list[tuple[CategoryDef, CategoryDef | None]]:
    """Every category with its parent, parents first."""
    out: list[tuple[CategoryDef, CategoryDef | None]] = []
    for root in CATEGORY_TREE:
        out.append((root, None))
        out.extend((child, root) for child in root.children)
    return out


CATEGORIES_BY_SLUG = {node.slug: node for node, _parent in iter_categories()}
ROOT_OF = {node.slug: (parent or node).slug for node, parent in iter_categories()}


# --- brands ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BrandDef:
    slug: str
    name: str
    name_en: str
    country: str
    is_domestic: bool
    # Log-price retention relative to the market average: premium makers hold value better.
    retention: float
    # Card colour for generated demo photos.
    color: tuple[int, int, int]


def brands_from(rows: list[dict]) -> tuple[BrandDef, ...]:
    return tuple(BrandDef(**{**row, "color": tuple(row["color"])}) for row in rows)


BRANDS: tuple[BrandDef, ...] = brands_from(_read("brands.json"))
BRANDS_BY_SLUG = {brand.slug: brand for brand in BRANDS}


# --- models ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelDef:
    brand: str
    root: str
    name: str
    base_model: str
    weight_t: float | None
    power_kw: float | None
    bucket_m3: float | None = None
    lift_t: float | None = None
    price_wan: float = 0.0  # approximate new price in units of 10,000 CNY (万元)
    extra: dict = field(default_factory=dict)  # size facts without a typed column

    @property
    def new_price(self) -> Decimal:
        return (Decimal(str(self.price_wan)) * 10000).quantize(Decimal("0.01"))

    @property
    def category_slug(self) -> str:
        return leaf_category_for(self)


def models_from(rows: list[dict]) -> tuple[ModelDef, ...]:
    return tuple(ModelDef(**row) for row in rows)


MODELS: tuple[ModelDef, ...] = models_from(_read("models.json"))


def check_references(
    tree: tuple[CategoryDef, ...], brands: tuple[BrandDef, ...], models: tuple[ModelDef, ...]
) -> None:
    """Fail at import, naming the entry, rather than half-way through a sync."""
    category_slugs = [node.slug for root in tree for node in (root, *root.children)]
    for kind, slugs in (("category", category_slugs), ("brand", [b.slug for b in brands])):
        if len(slugs) != len(set(slugs)):
            raise CatalogDataError(f"duplicate {kind} slug in the catalogue data")
    keys = [(spec.brand, spec.name) for spec in models]
    if len(keys) != len(set(keys)):
        raise CatalogDataError("duplicate (brand, model name) in models.json")
    roots, brand_slugs = {root.slug for root in tree}, {brand.slug for brand in brands}
    for spec in models:
        if spec.brand not in brand_slugs or spec.root not in roots:
            raise CatalogDataError(f"{spec.brand} {spec.name}: unknown brand or root category")


check_references(CATEGORY_TREE, BRANDS, MODELS)


# --- size classes ----------------------------------------------------------------------------


def _in_range(node: CategoryDef, value: float | None) -> bool:
    if value is None:
        return False
    low = float(node.size_min) if node.size_min is not None else float("-inf")
    high = float(node.size_max) if node.size_max is not None else float("inf")
    return low <= value < high


_SIZE_OF: dict[str, Callable[[ModelDef], float | None]] = {
    "excavator": lambda m: m.weight_t,
    "wheel-loader": lambda m: m.weight_t,
    "dozer": lambda m: m.power_kw,
    "concrete-pump-truck": lambda m: m.extra.get("boom_m"),
    "forklift": lambda m: m.lift_t,
}
_TYPE_LEAF = {
    ("crane", "truck"): "crane-truck",
    ("crane", "crawler"): "crane-crawler",
    ("crane", "all_terrain"): "crane-all-terrain",
    ("aerial-work-platform", "scissor"): "awp-scissor",
    ("aerial-work-platform", "boom"): "awp-boom",
}


def leaf_category_for(model: ModelDef) -> str:
    """The size-class leaf a model belongs to (e.g. a 21.9 t excavator → excavator-medium).

    Lower bounds are inclusive: a 13.0 t excavator is medium, a 12.9 t one is small.
    """
    root = CATEGORIES_BY_SLUG[model.root]
    if not root.children:
        return root.slug
    kind = model.extra.get("crane_type") or model.extra.get("awp_type")
    if kind:
        return _TYPE_LEAF[(root.slug, kind)]
    size = _SIZE_OF[root.slug](model)
    for child in root.children:
        if _in_range(child, size):
            return child.slug
    raise ValueError(f"{model.brand} {model.name}: size {size} fits no class of {root.slug}")


# --- synchronisation -------------------------------------------------------------------------


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0


def _sync_rows(model_class, wanted: dict, existing: dict, result: SyncResult) -> dict:
    """Create the missing rows in one insert; save only the fields that differ on the others.

    ``wanted`` maps a natural key to the row's field values (including the key's own fields).
    """
    missing = [model_class(**values) for key, values in wanted.items() if key not in existing]
    for key, values in wanted.items():
        obj = existing.get(key)
        if obj is None:
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            obj.save(update_fields=changed)
            result.updated += 1
    model_class.objects.bulk_create(missing)
    result.created += len(missing)
    return existing


def _sync_categories(result: SyncResult) -> dict[str, Category]:
    """Parents first, one level at a time, so children can point at saved parents."""
    categories = {c.slug: c for c in Category.objects.select_related("parent")}
    positions = {node.slug: position for position, (node, _p) in enumerate(iter_categories())}
    for level in (CATEGORY_TREE, tuple(c for root in CATEGORY_TREE for c in root.children)):
        wanted = {
            node.slug: {
                "slug": node.slug,
                "name": node.name,
                "name_en": node.name_en,
                "parent": categories[ROOT_OF[node.slug]]
                if node.slug != ROOT_OF[node.slug]
                else None,
                "size_unit": node.size_unit,
                "size_min": node.size_min,
                "size_max": node.size_max,
                "position": positions[node.slug],
            }
            for node in level
        }
        _sync_rows(Category, wanted, categories, result)
        categories = {c.slug: c for c in Category.objects.select_related("parent")}
    return categories


@transaction.atomic
def catalog_sync() -> dict[str, SyncResult]:
    """Create or update categories, brands and models; never deletes (machines refer to them).

    Returns per-table counts of created and updated rows; a second run reports zeros.
    """
    results = {"categories": SyncResult(), "brands": SyncResult(), "models": SyncResult()}
    categories = _sync_categories(results["categories"])
    brand_rows = {
        spec.slug: {
            "slug": spec.slug,
            "name": spec.name,
            "name_en": spec.name_en,
            "country": spec.country,
            "is_domestic": spec.is_domestic,
        }
        for spec in BRANDS
    }
    _sync_rows(Brand, brand_rows, {b.slug: b for b in Brand.objects.all()}, results["brands"])
    brands = {b.slug: b for b in Brand.objects.all()}
    model_rows = {
        (spec.brand, spec.name): {
            "brand": brands[spec.brand],
            "name": spec.name,
            "category": categories[spec.category_slug],
            "base_model": spec.base_model,
            "operating_weight_t": _q(spec.weight_t, "0.01"),
            "engine_power_kw": _q(spec.power_kw, "0.1"),
            "bucket_capacity_m3": _q(spec.bucket_m3, "0.01"),
            "lifting_capacity_t": _q(spec.lift_t, "0.1"),
            "new_price": spec.new_price,
        }
        for spec in MODELS
    }
    existing = {
        (m.brand.slug, m.name): m
        for m in EquipmentModel.objects.select_related("brand", "category")
    }
    _sync_rows(EquipmentModel, model_rows, existing, results["models"])
    return results


def _q(value: float | None, places: str) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal(places))


def model_specs_by_key() -> dict[tuple[str, str], ModelDef]:
    """Catalogue entries keyed by (brand slug, model name), for the demo data generator."""
    return {(spec.brand, spec.name): spec for spec in MODELS}
