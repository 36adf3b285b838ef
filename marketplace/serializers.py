"""API shapes of the marketplace: read-only listing summaries and details, and the filters."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.geo import CITIES
from core.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS
from marketplace.listing_query import (
    LIVE_PARAMS,
    ListingQuery,
    ListingQueryError,
    parse_listing_query,
)
from marketplace.models import (
    HourMeterReading,
    Listing,
    ListingPhoto,
    Machine,
    MaintenanceRecord,
    SaleFormat,
)
from marketplace.sellability import listing_sale_block


class ListingFilterSerializer(serializers.Serializer):
    """The browse page's filters; a bad value is a 400 naming the field."""

    category = serializers.SlugField(required=False, help_text=_("类别 slug，包含其下级类别"))
    brand = serializers.SlugField(required=False, help_text=_("品牌 slug"))
    city = serializers.ChoiceField(
        choices=[city.name for city in CITIES], required=False, help_text=_("城市")
    )
    year_min = serializers.IntegerField(required=False, min_value=1950, max_value=2100)
    year_max = serializers.IntegerField(required=False, min_value=1950, max_value=2100)
    hours_min = serializers.IntegerField(required=False, min_value=0)
    hours_max = serializers.IntegerField(required=False, min_value=0)
    price_min = serializers.DecimalField(
        required=False, max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES
    )
    price_max = serializers.DecimalField(
        required=False, max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES
    )
    sale_format = serializers.ChoiceField(choices=SaleFormat.choices, required=False)

    def validate(self, attrs: dict) -> dict:
        for low, high in (
            ("year_min", "year_max"),
            ("hours_min", "hours_max"),
            ("price_min", "price_max"),
        ):
            if (
                attrs.get(low) is not None
                and attrs.get(high) is not None
                and attrs[low] > attrs[high]
            ):
                raise serializers.ValidationError({high: [_("上限不能小于下限。")]})
        return attrs

    def to_query(self) -> ListingQuery:
        """The validated filters as the listing query object (the one search uses).

        The declared fields keep their messages; the query object's other filters that the
        listing tables answer (grade, province, inspected ..., ``LIVE_PARAMS``) are read by
        the query's parser, and a bad one is a 400 naming it like any other field.
        """
        others = {
            name: self.initial_data.get(name)
            for name in self.initial_data
            if name in LIVE_PARAMS and name not in self.fields
        }
        try:
            query = parse_listing_query(others)
        except ListingQueryError as error:
            raise serializers.ValidationError(error.fields) from error
        return query.with_changes(**self.validated_data)


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ListingPhoto
        fields = ["id", "url", "kind", "width", "height"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, photo: ListingPhoto) -> str:
        request = self.context.get("request")
        url = photo.image.url
        return request.build_absolute_uri(url) if request else url


class MachineSummarySerializer(serializers.ModelSerializer):
    brand = serializers.CharField(source="brand.display_name")
    brand_slug = serializers.CharField(source="brand.slug")
    model = serializers.CharField(source="equipment_model.name")
    category = serializers.CharField(source="category.display_name")
    category_slug = serializers.CharField(source="category.slug")

    class Meta:
        model = Machine
        fields = [
            "id",
            "brand",
            "brand_slug",
            "model",
            "category",
            "category_slug",
            "year_of_manufacture",
            "current_hours",
            "province",
            "city",
        ]


class HourReadingSerializer(serializers.ModelSerializer):
    """A reading in the history; a superseded one stays, flagged, next to its correction."""

    is_superseded = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = HourMeterReading
        fields = [
            "id",
            "hours",
            "read_at",
            "source",
            "is_superseded",
            "corrects",
            "correction_reason",
        ]


class MaintenanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaintenanceRecord
        fields = ["performed_on", "kind", "hours", "description", "performed_by"]


class MachineDetailSerializer(MachineSummarySerializer):
    operating_weight_t = serializers.DecimalField(
        source="equipment_model.operating_weight_t",
        max_digits=7,
        decimal_places=2,
        allow_null=True,  # not every catalogue model has this figure
    )
    engine_power_kw = serializers.DecimalField(
        source="equipment_model.engine_power_kw",
        max_digits=7,
        decimal_places=1,
        allow_null=True,  # not every catalogue model has this figure
    )
    bucket_capacity_m3 = serializers.DecimalField(
        source="equipment_model.bucket_capacity_m3",
        max_digits=6,
        decimal_places=2,
        allow_null=True,  # not every catalogue model has this figure
    )
    lifting_capacity_t = serializers.DecimalField(
        source="equipment_model.lifting_capacity_t",
        max_digits=7,
        decimal_places=1,
        allow_null=True,  # not every catalogue model has this figure
    )
    hour_readings = HourReadingSerializer(many=True)
    maintenance = MaintenanceSerializer(many=True)

    class Meta(MachineSummarySerializer.Meta):
        fields = [
            *MachineSummarySerializer.Meta.fields,
            "serial_number",
            "emission_stage",
            "district",
            "latitude",
            "longitude",
            "accident_history",
            "condition_grade",
            "is_inspected",
            "is_certified",
            "is_remanufactured",
            "is_encumbered",
            "hours_anomaly",
            "operating_weight_t",
            "engine_power_kw",
            "bucket_capacity_m3",
            "lifting_capacity_t",
            "hour_readings",
            "maintenance",
        ]


class SellerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    seller_type = serializers.CharField()
    city = serializers.CharField()
    is_verified = serializers.BooleanField()


class ListingSummarySerializer(serializers.ModelSerializer):
    machine = MachineSummarySerializer()
    thumbnail = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Listing
        fields = [
            "id",
            "title",
            "status",
            "sale_format",
            "asking_price",
            "currency",
            "invoice_available",
            "published_at",
            "machine",
            "thumbnail",
            "url",
        ]

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    @extend_schema_field(serializers.URLField(allow_null=True))  # null: no photo yet
    def get_thumbnail(self, listing: Listing) -> str | None:
        photos = list(listing.photos.all())
        return self._absolute(photos[0].image.url) if photos else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, listing: Listing) -> str:
        return self._absolute(reverse("marketplace:listing_detail", args=[listing.pk]))


class SaleBlockSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class ListingDetailSerializer(ListingSummarySerializer):
    machine = MachineDetailSerializer()
    photos = PhotoSerializer(many=True)
    seller = SellerSerializer()
    sale_block = serializers.SerializerMethodField()

    class Meta(ListingSummarySerializer.Meta):
        fields = [
            *ListingSummarySerializer.Meta.fields,
            "description",
            "attachments",
            "expires_at",
            "photos",
            "seller",
            "sale_block",
        ]

    @extend_schema_field(SaleBlockSerializer(allow_null=True))  # null: can be bought
    def get_sale_block(self, listing: Listing) -> dict | None:
        """Why the machine cannot be bought now (marketplace.sellability), as on the page."""
        block = listing_sale_block(listing)
        return {"code": block.reason.value, "message": block.message} if block else None
