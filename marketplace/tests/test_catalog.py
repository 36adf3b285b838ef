from decimal import Decimal

import pytest

from marketplace.catalog import (
    BRANDS,
    CATEGORY_TREE,
    MODELS,
    ModelDef,
    catalog_sync,
    iter_categories,
    leaf_category_for,
)
from marketplace.models import Brand, Category, EquipmentModel


def _excavator(weight: float) -> ModelDef:
    return ModelDef("sany", "excavator", f"T{weight}", "T", weight, 100.0, price_wan=50)


@pytest.mark.parametrize(
    ("weight", "leaf"),
    [
        (1.8, "excavator-mini"),
        (5.99, "excavator-mini"),
        (6.0, "excavator-small"),
        (12.9, "excavator-small"),
        (13.0, "excavator-medium"),
        (29.99, "excavator-medium"),
        (30.0, "excavator-large"),
        (160.0, "excavator-large"),
    ],
)
def test_excavator_size_class_boundaries(weight, leaf):
    assert leaf_category_for(_excavator(weight)) == leaf


def test_size_class_by_type_and_by_root_without_children():
    crane = ModelDef(
        "xcmg", "crane", "C", "C", 40.0, 250.0, None, 25.0, 100.0, {"crane_type": "crawler"}
    )
    roller = ModelDef("xcmg", "roller", "R", "R", 20.0, 130.0, price_wan=40)
    assert leaf_category_for(crane) == "crane-crawler"
    assert leaf_category_for(roller) == "roller"


def test_model_without_its_size_fact_fits_no_class():
    dozer = ModelDef("shantui", "dozer", "X", "X", 20.0, None, price_wan=60)
    with pytest.raises(ValueError, match="fits no class of dozer"):
        leaf_category_for(dozer)


def test_catalogue_breadth_and_names():
    roots_with_models = {model.root for model in MODELS}
    brands_with_models = {model.brand for model in MODELS}
    assert len(CATEGORY_TREE) == 13
    assert roots_with_models == {root.slug for root in CATEGORY_TREE}
    assert len(brands_with_models) == len(BRANDS) == 21
    assert all(brand.name and brand.name_en and brand.name != brand.name_en for brand in BRANDS)
    assert len({(model.brand, model.name) for model in MODELS}) == len(MODELS)
    assert all(model.new_price > 0 for model in MODELS)


@pytest.mark.django_db
def test_catalog_sync_creates_everything_once():
    first = catalog_sync()
    counts = (Category.objects.count(), Brand.objects.count(), EquipmentModel.objects.count())
    second = catalog_sync()

    assert (first["categories"].created, first["brands"].created, first["models"].created) == (
        len(iter_categories()),
        len(BRANDS),
        len(MODELS),
    )
    assert counts == (len(iter_categories()), len(BRANDS), len(MODELS))
    assert all((r.created, r.updated) == (0, 0) for r in second.values())
    assert (
        Category.objects.count(),
        Brand.objects.count(),
        EquipmentModel.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_catalog_sync_builds_the_tree_with_size_ranges():
    catalog_sync()
    medium = Category.objects.get(slug="excavator-medium")
    sy215 = EquipmentModel.objects.select_related("brand", "category").get(
        brand__slug="sany", name="SY215C"
    )

    assert medium.parent.slug == "excavator"
    assert (medium.size_unit, medium.size_min, medium.size_max) == (
        "t",
        Decimal("13.00"),
        Decimal("30.00"),
    )
    assert Category.objects.filter(parent__isnull=True).count() == 13
    assert (sy215.category.slug, sy215.brand.name, sy215.brand.name_en) == (
        "excavator-medium",
        "三一",
        "SANY",
    )
    assert (sy215.operating_weight_t, sy215.engine_power_kw, sy215.bucket_capacity_m3) == (
        Decimal("21.90"),
        Decimal("118.0"),
        Decimal("1.10"),
    )
    assert sy215.new_price == Decimal("860000.00")


@pytest.mark.django_db
def test_catalog_sync_restores_changed_reference_values_and_keeps_extra_rows():
    catalog_sync()
    EquipmentModel.objects.filter(brand__slug="sany", name="SY215C").update(new_price=1)
    Brand.objects.filter(slug="komatsu").update(name_en="KMT")
    extra = EquipmentModel.objects.create(
        brand=Brand.objects.get(slug="sany"),
        category=Category.objects.get(slug="excavator-medium"),
        name="SY999-local",
    )

    result = catalog_sync()

    assert (result["models"].updated, result["brands"].updated, result["models"].created) == (
        1,
        1,
        0,
    )
    assert EquipmentModel.objects.get(brand__slug="sany", name="SY215C").new_price == Decimal(
        "860000.00"
    )
    assert Brand.objects.get(slug="komatsu").name_en == "Komatsu"
    assert EquipmentModel.objects.filter(pk=extra.pk).exists()
