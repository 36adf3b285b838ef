"""API shapes of the leasing app."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS
from leasing.models import (
    ApplicationKind,
    DocumentKind,
    LeaseApplication,
    LeaseApplicationEvent,
    LeaseDocument,
    LeaseProduct,
    LeaseRateBand,
    LeaseType,
    RentTiming,
    RepaymentMethod,
)


def money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES, **kwargs
    )


def rate(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=5, decimal_places=4, **kwargs)


class QuotePreviewRequestSerializer(serializers.Serializer):
    """Documentation of the quote-preview body (parsed by leasing.parsing)."""

    price = serializers.CharField(help_text=_('设备价格，如 "1000000"'))
    down_payment = serializers.CharField(help_text=_("首付款"))
    term_months = serializers.IntegerField(help_text=_("期限（月）"))
    annual_rate = serializers.CharField(help_text=_('名义年利率，小数，如 "0.06"'))
    method = serializers.ChoiceField(choices=RepaymentMethod.choices)
    timing = serializers.ChoiceField(choices=RentTiming.choices, required=False)
    deposit = serializers.CharField(required=False)
    fee = serializers.CharField(required=False)
    buyout_price = serializers.CharField(required=False)
    balloon = serializers.CharField(required=False)
    lease_type = serializers.ChoiceField(choices=LeaseType.choices, required=False)


class ScheduleRowSerializer(serializers.Serializer):
    period = serializers.IntegerField()
    rent = serializers.CharField()
    principal = serializers.CharField()
    interest = serializers.CharField()
    balance = serializers.CharField()
    balloon = serializers.CharField()


class QuotePreviewResponseSerializer(serializers.Serializer):
    principal = serializers.CharField()
    payments = serializers.ListField(child=serializers.CharField())
    total_payments = serializers.CharField()
    total_interest = serializers.CharField()
    total_cost = serializers.CharField()
    apr = serializers.CharField()
    ear = serializers.CharField()
    nominal_rate = serializers.CharField()
    vat = serializers.CharField()
    vat_rate = serializers.CharField()
    vat_deductible = serializers.BooleanField()
    schedule = ScheduleRowSerializer(many=True)


class ListingQuoteQuerySerializer(serializers.Serializer):
    down_payment = money(required=False, min_value=0)
    term_months = serializers.IntegerField(required=False, min_value=1, max_value=120)
    method = serializers.ChoiceField(choices=RepaymentMethod.choices, required=False)
    timing = serializers.ChoiceField(choices=RentTiming.choices, required=False)
    lease_type = serializers.ChoiceField(choices=LeaseType.choices, required=False)
    balloon = money(required=False, min_value=0)


class RateBandSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeaseRateBand
        fields = ["min_term_months", "max_term_months", "condition_grade", "annual_rate"]


class LeaseProductSerializer(serializers.ModelSerializer):
    lessor = serializers.CharField(source="lessor.name")
    categories = serializers.SerializerMethodField()
    term_choices = serializers.SerializerMethodField()
    rate_bands = RateBandSerializer(many=True)

    class Meta:
        model = LeaseProduct
        fields = [
            "id",
            "name",
            "lessor",
            "description",
            "categories",
            "max_machine_age_years",
            "max_hours",
            "min_term_months",
            "max_term_months",
            "term_choices",
            "default_annual_rate",
            "rate_bands",
            "min_down_payment_share",
            "max_ltv",
            "deposit_share",
            "fee_fixed",
            "fee_share",
            "buyout_price",
            "balloon_allowed",
            "allows_direct",
            "allows_sale_leaseback",
            "currency",
        ]

    def get_categories(self, product: LeaseProduct) -> list[str]:
        return [category.slug for category in product.categories.all()]

    def get_term_choices(self, product: LeaseProduct) -> list[int]:
        return product.term_choices()


class ApplicationEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeaseApplicationEvent
        fields = ["from_status", "to_status", "note", "created_at"]


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeaseDocument
        fields = ["id", "kind", "content_type", "size", "created_at"]


class LeaseApplicationSerializer(serializers.ModelSerializer):
    applicant = serializers.CharField(source="applicant.name")
    lessor = serializers.CharField(source="lessor.name")
    product = serializers.CharField(source="product.name")

    class Meta:
        model = LeaseApplication
        fields = [
            "id",
            "kind",
            "status",
            "applicant",
            "lessor",
            "product",
            "listing",
            "machine",
            "lease_type",
            "price",
            "down_payment",
            "term_months",
            "method",
            "timing",
            "balloon",
            "message",
            "info_request_note",
            "decline_reason",
            "approved_price",
            "approved_down_payment",
            "approved_term_months",
            "approved_annual_rate",
            "approved_deposit",
            "approved_fee",
            "approved_buyout_price",
            "approved_balloon",
            "valid_until",
            "submitted_at",
            "decided_at",
        ]


class LeaseApplicationDetailSerializer(LeaseApplicationSerializer):
    events = ApplicationEventSerializer(many=True)
    documents = DocumentSerializer(many=True)

    class Meta(LeaseApplicationSerializer.Meta):
        fields = [*LeaseApplicationSerializer.Meta.fields, "events", "documents"]


class ApplicationCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicationKind.choices)
    product = serializers.IntegerField()
    applicant = serializers.IntegerField(required=False, help_text=_("申请机构；默认为主机构"))
    listing = serializers.IntegerField(required=False)
    machine = serializers.IntegerField(required=False)
    price = money(required=False, min_value=0)
    down_payment = money(required=False, min_value=0)
    term_months = serializers.IntegerField(min_value=1, max_value=120)
    method = serializers.ChoiceField(choices=RepaymentMethod.choices, required=False)
    timing = serializers.ChoiceField(choices=RentTiming.choices, required=False)
    lease_type = serializers.ChoiceField(choices=LeaseType.choices, required=False)
    balloon = money(required=False, min_value=0)
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate(self, attrs: dict) -> dict:
        required = {
            ApplicationKind.PURCHASE: "listing",
            ApplicationKind.PREAPPROVAL: "price",
            ApplicationKind.SALE_LEASEBACK: "machine",
        }[attrs["kind"]]
        errors = {}
        if attrs.get(required) is None:
            errors[required] = [_("该字段是必填项。")]
        if attrs["kind"] == ApplicationKind.SALE_LEASEBACK and attrs.get("price") is None:
            errors["price"] = [_("该字段是必填项。")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class LeaseNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class LeaseReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ApprovalSerializer(serializers.Serializer):
    price = money(min_value=0)
    down_payment = money(min_value=0)
    term_months = serializers.IntegerField(min_value=1, max_value=120)
    annual_rate = rate(min_value=0, max_value=1)
    deposit = money(required=False, min_value=0, default=0)
    fee = money(required=False, min_value=0, default=0)
    buyout_price = money(required=False, min_value=0, default=0)
    balloon = money(required=False, min_value=0, default=0)
    valid_until = serializers.DateField(required=False)


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField()


class ContractStartSerializer(serializers.Serializer):
    registry_reference = serializers.CharField(max_length=60)
    start_date = serializers.DateField(required=False)
