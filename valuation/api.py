"""REST API of the valuation app (mounted under /api/valuation/).

The same service computes what the listing panel shows, so the numbers match exactly.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import NotFoundError
from marketplace.models import ConditionGrade, EmissionStage, EquipmentModel, Listing, SaleFormat
from valuation.models import ModelVersion, ValuationKind
from valuation.records import record_from_inputs, resolve_equipment_model
from valuation.selectors import model_versions
from valuation.services import MachineValuation, valuation_for_listing, valuation_value_record


class EstimateQuerySerializer(serializers.Serializer):
    equipment_model = serializers.IntegerField(
        required=False, help_text="Catalogue model id (instead of brand + model)"
    )
    brand = serializers.CharField(
        max_length=100, required=False, default="", help_text="Brand name (中文/English) or slug"
    )
    model = serializers.CharField(
        max_length=100, required=False, default="", help_text="Model name, e.g. SY215C"
    )
    category = serializers.CharField(
        max_length=80, required=False, default="", help_text="Category slug (if not catalogued)"
    )
    year = serializers.IntegerField(min_value=1980, max_value=2100, required=False)
    hours = serializers.IntegerField(min_value=0, max_value=200000, required=False)
    province = serializers.CharField(max_length=50, required=False, default="")
    city = serializers.CharField(max_length=50, required=False, default="")
    condition_grade = serializers.ChoiceField(
        choices=[("", "-"), *ConditionGrade.choices], required=False, default=""
    )
    emission_stage = serializers.ChoiceField(
        choices=EmissionStage.choices, required=False, default=""
    )
    is_remanufactured = serializers.BooleanField(required=False, default=False)
    sale_format = serializers.ChoiceField(
        choices=SaleFormat.choices, required=False, default=SaleFormat.FIXED
    )

    def validate(self, attrs):
        model_id = attrs.get("equipment_model")
        if model_id is not None:
            found = EquipmentModel.objects.select_related("brand", "category").filter(pk=model_id)
            attrs["equipment_model"] = found.first()
            if attrs["equipment_model"] is None:
                raise serializers.ValidationError({"equipment_model": [_("没有这个机型。")]})
        elif not (attrs["brand"] and attrs["model"]):
            raise serializers.ValidationError(_("请提供机型（equipment_model）或品牌和型号。"))
        return attrs


class PricePointSerializer(serializers.Serializer):
    months = serializers.IntegerField()
    p10 = serializers.DecimalField(max_digits=14, decimal_places=2)
    p50 = serializers.DecimalField(max_digits=14, decimal_places=2)
    p90 = serializers.DecimalField(max_digits=14, decimal_places=2)


class ComparableSerializer(serializers.Serializer):
    sold_at = serializers.DateField()
    brand = serializers.CharField()
    model = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    hours = serializers.IntegerField(allow_null=True)
    city = serializers.CharField()
    price = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=4)


class ValuationResultSerializer(serializers.Serializer):
    p10 = serializers.DecimalField(max_digits=14, decimal_places=2)
    p50 = serializers.DecimalField(max_digits=14, decimal_places=2)
    p90 = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()
    asking_price = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    asking_vs_market = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    unusual = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    factors = serializers.ListField(child=serializers.CharField())
    comparables = ComparableSerializer(many=True)
    forecast = PricePointSerializer(many=True)
    model_version = serializers.CharField(source="model_version.version")
    valuation_id = serializers.IntegerField(source="record.pk", allow_null=True)


class ModelVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ModelVersion
        fields = [
            "version",
            "is_active",
            "created_at",
            "activated_at",
            "currency",
            "source",
            "data_snapshot_hash",
            "artifact_sha256",
            "n_train",
            "n_calibration",
            "features",
            "metrics",
            "library_versions",
            "code_version",
        ]


def _result(valuation: MachineValuation | None) -> Response:
    if valuation is None:
        raise NotFoundError(_("估值暂不可用：尚未训练估值模型。"), code="no_model")
    return Response(ValuationResultSerializer(valuation).data)


class EstimateView(APIView):
    """Pricing guidance for any machine (the dealer form and "value my machine")."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[EstimateQuerySerializer],
        responses=ValuationResultSerializer,
        summary="Estimate a machine's market value (P10/P50/P90), comparables and forecast",
    )
    def get(self, request):
        query = EstimateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return _result(_estimate(query.validated_data))

    @extend_schema(request=EstimateQuerySerializer, responses=ValuationResultSerializer)
    def post(self, request):
        query = EstimateQuerySerializer(data=request.data)
        query.is_valid(raise_exception=True)
        return _result(_estimate(query.validated_data))


def _estimate(data: dict) -> MachineValuation | None:
    equipment_model = data.get("equipment_model") or resolve_equipment_model(
        brand=data["brand"], model=data["model"]
    )
    record = record_from_inputs(
        equipment_model=equipment_model,
        brand=data["brand"],
        model=data["model"],
        category=data["category"],
        year=data.get("year"),
        hours=data.get("hours"),
        province=data["province"],
        city=data["city"],
        condition_grade=data["condition_grade"],
        emission_stage=data["emission_stage"],
        is_remanufactured=data["is_remanufactured"],
        sale_format=data["sale_format"],
    )
    return valuation_value_record(record=record, kind=ValuationKind.ESTIMATE)


class ListingValuationView(APIView):
    """The valuation shown on a published listing's page."""

    permission_classes = [AllowAny]

    @extend_schema(responses=ValuationResultSerializer)
    def get(self, request, listing_id: int):
        listing = get_object_or_404(
            Listing.objects.published().select_related(
                "machine__equipment_model", "machine__brand", "machine__category"
            ),
            pk=listing_id,
        )
        return _result(valuation_for_listing(listing))


class ModelVersionListView(APIView):
    """The model registry: every trained version, its data, metrics and whether it serves."""

    permission_classes = [AllowAny]

    @extend_schema(responses=ModelVersionSerializer(many=True))
    def get(self, request):
        return Response(ModelVersionSerializer(model_versions(), many=True).data)
