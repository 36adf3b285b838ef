"""Names in the viewer's language: places (core.geo) and listing titles (marketplace.titles)."""

import pytest
from django.utils import translation

from core.geo import place_name
from marketplace.models import Category
from marketplace.tests.factories import (
    BrandFactory,
    CategoryFactory,
    EquipmentModelFactory,
    MachineFactory,
    PublishedListingFactory,
)


@pytest.mark.parametrize(
    ("stored", "english"),
    [
        ("长沙市", "Changsha"),
        ("长沙", "Changsha"),
        ("湖南省", "Hunan"),
        ("岳麓区", "Yuelu District"),
        ("武汉市", "Wuhan"),
        ("湖北", "Hubei"),
        ("某某镇", "某某镇"),  # unknown: as stored
        ("", ""),
    ],
)
def test_place_names_in_english(stored, english):
    assert place_name(stored, "en") == english
    assert place_name(stored, "zh-hans") == stored
    with translation.override("en"):
        assert place_name(stored) == english


@pytest.mark.django_db
def test_listing_title_is_composed_from_the_catalogue_in_english():
    root = CategoryFactory(slug="wheel-loader", name="装载机", name_en="Wheel loaders")
    leaf = Category.objects.create(
        slug="wheel-loader-medium", name="中型装载机", name_en="Medium wheel loaders", parent=root
    )
    brand = BrandFactory(slug="liugong", name="柳工", name_en="LiuGong")
    model = EquipmentModelFactory(brand=brand, category=leaf, name="CLG856H")
    machine = MachineFactory(equipment_model=model, year_of_manufacture=2021)
    listing = PublishedListingFactory(machine=machine, title="柳工856H 装载机 急售 车况好")

    with translation.override("en"):
        assert listing.display_title == "2021 LiuGong CLG856H Wheel loader"
    with translation.override("zh-hans"):
        assert listing.display_title == "柳工856H 装载机 急售 车况好"  # what the seller wrote


@pytest.mark.django_db
def test_listing_title_without_year_or_english_brand_name():
    brand = BrandFactory(slug="unknown-brand", name="某品牌", name_en="")
    machine = MachineFactory(
        equipment_model=EquipmentModelFactory(brand=brand, name="X1"), year_of_manufacture=None
    )
    listing = PublishedListingFactory(machine=machine)
    with translation.override("en"):
        assert listing.display_title == "某品牌 X1 Excavator"
