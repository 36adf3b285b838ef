"""The catalogue loader (marketplace.catalog over marketplace/data/*.json).

The counts and values were computed from the Python literals the data files replaced; they
pin that the move kept every category, brand and model (and its size class) unchanged."""

from collections import Counter
from decimal import Decimal

import pytest

from marketplace import catalog
from marketplace.catalog import (
    BRANDS,
    BRANDS_BY_SLUG,
    CATEGORIES_BY_SLUG,
    CATEGORY_TREE,
    MODELS,
    ROOT_OF,
    CatalogDataError,
    brands_from,
    categories_from,
    check_references,
    iter_categories,
    model_specs_by_key,
    models_from,
)


def test_data_files_sit_in_the_package():
    names = sorted(path.name for path in catalog.DATA_DIR.glob("*.json"))
    assert names == ["brands.json", "categories.json", "models.json"]
    assert catalog.DATA_DIR.parent.name == "marketplace"


def test_category_tree_counts_and_size_classes():
    pairs = iter_categories()
    assert (len(CATEGORY_TREE), len(pairs), len(CATEGORIES_BY_SLUG)) == (13, 32, 32)
    assert sum(1 for _node, parent in pairs if parent is not None) == 19
    assert [root.slug for root in CATEGORY_TREE][:3] == ["excavator", "wheel-loader", "dozer"]
    medium = CATEGORIES_BY_SLUG["excavator-medium"]
    assert (medium.size_unit, medium.size_min, medium.size_max) == ("t", Decimal(13), Decimal(30))
    light = CATEGORIES_BY_SLUG["forklift-light"]
    assert (light.size_unit, light.size_min, light.size_max) == (
        "lift_t",
        Decimal("0"),
        Decimal("3.5"),
    )
    assert CATEGORIES_BY_SLUG["excavator-large"].size_max is None
    assert (ROOT_OF["awp-boom"], ROOT_OF["grader"]) == ("aerial-work-platform", "grader")


def test_brands_counts_and_values():
    assert (len(BRANDS), len(BRANDS_BY_SLUG)) == (21, 21)
    assert sum(brand.is_domestic for brand in BRANDS) == 11
    sany = BRANDS_BY_SLUG["sany"]
    assert (sany.name, sany.name_en, sany.country, sany.retention) == ("三一", "SANY", "中国", 0.02)
    assert sany.color == (220, 100, 20)
    assert BRANDS[-1].slug == "bobcat"


def test_models_counts_keys_and_size_leaves():
    assert (len(MODELS), len(model_specs_by_key())) == (182, 182)
    assert sum(1 for spec in MODELS if spec.extra) == 41
    assert Counter(spec.root for spec in MODELS) == {
        "excavator": 82, "wheel-loader": 16, "crane": 14, "dozer": 10, "rotary-drilling-rig": 9,
        "aerial-work-platform": 8, "forklift": 8, "concrete-pump-truck": 7, "roller": 7,
        "skid-steer": 7, "grader": 6, "backhoe-loader": 5, "mixer-truck": 3,
    }  # fmt: skip
    leaves = Counter(spec.category_slug for spec in MODELS)
    assert (leaves["excavator-mini"], leaves["excavator-small"]) == (16, 12)
    assert (leaves["excavator-medium"], leaves["excavator-large"]) == (32, 22)
    assert (leaves["crane-truck"], leaves["crane-crawler"], leaves["crane-all-terrain"]) == (
        6,
        4,
        4,
    )
    assert (leaves["pump-truck-mid"], leaves["pump-truck-long"]) == (2, 5)
    assert len(leaves) == 25


def test_a_model_keeps_its_numbers_and_types():
    spec = model_specs_by_key()[("sany", "SY215C")]
    assert (spec.base_model, spec.weight_t, spec.power_kw, spec.bucket_m3) == (
        "SY215",
        21.9,
        118.0,
        1.1,
    )
    assert (spec.lift_t, spec.extra, spec.new_price) == (None, {}, Decimal("860000.00"))
    crane = model_specs_by_key()[("sany", "STC250C")]
    assert crane.extra == {"crane_type": "truck", "boom_m": 44.5}
    assert crane.category_slug == "crane-truck"
    assert all(isinstance(s.price_wan, float) for s in MODELS)


def _tiny():
    tree = categories_from(
        [{"slug": "roller", "name": "压路机", "name_en": "Rollers", "size_unit": "t"}]
    )
    brands = brands_from([
        {"slug": "sany", "name": "三一", "name_en": "SANY", "country": "中国",
         "is_domestic": True, "retention": 0.0, "color": [1, 2, 3]},
    ])  # fmt: skip
    return tree, brands


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"brand": "acme", "root": "roller"}, "acme R1: unknown brand or root category"),
        ({"brand": "sany", "root": "crane"}, "sany R1: unknown brand or root category"),
    ],
)
def test_a_model_pointing_nowhere_is_refused_by_name(row, message):
    tree, brands = _tiny()
    models = models_from(
        [{**row, "name": "R1", "base_model": "R", "weight_t": 1.0, "power_kw": None}]
    )
    with pytest.raises(CatalogDataError) as error:
        check_references(tree, brands, models)
    assert str(error.value) == message


def test_duplicates_and_unknown_units_are_refused():
    tree, brands = _tiny()
    row = {
        "brand": "sany",
        "root": "roller",
        "name": "R1",
        "base_model": "R",
        "weight_t": 1.0,
        "power_kw": None,
    }
    check_references(tree, brands, models_from([row]))  # one is fine
    with pytest.raises(CatalogDataError, match=r"duplicate \(brand, model name\)"):
        check_references(tree, brands, models_from([row, row]))
    with pytest.raises(CatalogDataError, match="duplicate brand slug"):
        check_references(tree, brands + brands, ())
    with pytest.raises(CatalogDataError, match="unknown size unit 'ft'"):
        categories_from([{"slug": "x", "name": "x", "name_en": "x", "size_unit": "ft"}])
    with pytest.raises(TypeError):  # an unknown field is a typo, not silently dropped
        models_from([{**row, "wieght_t": 2.0}])
