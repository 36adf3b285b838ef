import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.tests.factories import OrganizationFactory
from marketplace.models import (
    REQUIRED_PHOTO_KINDS,
    Brand,
    Category,
    EquipmentModel,
    Listing,
    ListingPhoto,
    ListingStatus,
    Machine,
    SaleChannel,
    SaleFormat,
    SaleRecord,
    SaleSource,
)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = "挖掘机"
    name_en = "Excavators"
    slug = "excavator"


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("slug",)

    name = "三一"
    name_en = "SANY"
    slug = "sany"


class EquipmentModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EquipmentModel
        django_get_or_create = ("brand", "name")

    brand = factory.SubFactory(BrandFactory)
    category = factory.SubFactory(CategoryFactory)
    name = "SY215C"
    base_model = "SY215"
    operating_weight_t = Decimal("21.50")
    engine_power_kw = Decimal("114.0")
    bucket_capacity_m3 = Decimal("1.10")


class MachineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Machine

    equipment_model = factory.SubFactory(EquipmentModelFactory)
    brand = factory.LazyAttribute(lambda o: o.equipment_model.brand)
    category = factory.LazyAttribute(lambda o: o.equipment_model.category)
    serial_number = factory.Sequence(lambda n: f"SN{n:08d}")
    year_of_manufacture = 2019
    emission_stage = "china3"
    owner = factory.SubFactory(OrganizationFactory)
    province = "湖南省"
    city = "长沙市"
    latitude = Decimal("28.228200")
    longitude = Decimal("112.938800")
    current_hours = 4200


class ListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Listing

    machine = factory.SubFactory(MachineFactory)
    seller = factory.LazyAttribute(lambda o: o.machine.owner)
    title = factory.LazyAttribute(
        lambda o: f"{o.machine.brand.name} {o.machine.equipment_model.name} 挖掘机"
    )
    sale_format = SaleFormat.FIXED
    asking_price = Decimal("380000.00")
    status = ListingStatus.DRAFT


class PublishedListingFactory(ListingFactory):
    status = ListingStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=90))


class ListingPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListingPhoto

    listing = factory.SubFactory(ListingFactory)
    image = factory.django.ImageField(width=40, height=30, color="gray")
    kind = "other"
    position = factory.Sequence(lambda n: n)


def with_photo_set(listing: Listing) -> Listing:
    """Give the listing one photo of every required kind (what submitting asks for)."""
    for position, kind in enumerate(REQUIRED_PHOTO_KINDS):
        ListingPhotoFactory(listing=listing, kind=kind, position=position)
    return listing


class SaleRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SaleRecord

    source = SaleSource.SIMULATED
    sale_channel = SaleChannel.FIXED
    sold_at = dt.date(2025, 6, 1)
    price = Decimal("350000.00")
    currency = "CNY"
    category_slug = "excavator-medium"
    size_class = "20-30t"
    brand_name = "三一"
    model_name = "SY215C"
    base_model = "SY215"
    year_of_manufacture = 2019
    hours = 5000
    province = "湖南省"
    city = "长沙市"
