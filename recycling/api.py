"""REST API of the recycling app (mounted under /api/recycling/)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organization
from core.documents import verify_path
from core.errors import NotFoundError
from marketplace.models import Machine
from recycling import selectors, services
from recycling.models import DisposalQuote, DisposalRequest, Material, Treatment


class DisposalRequestSerializer(serializers.ModelSerializer):
    machine = serializers.StringRelatedField()
    owner = serializers.StringRelatedField()
    status = serializers.CharField(read_only=True)  # a plain string: avoids enum name clashes

    class Meta:
        model = DisposalRequest
        fields = ["id", "machine", "machine_id", "owner", "status", "note", "created_at"]


class DisposalRequestListView(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = DisposalRequestSerializer

    def get_queryset(self):
        return selectors.disposal_requests_for_user(self.request.user)


class DisposalRequestCreateSerializer(serializers.Serializer):
    machine = serializers.PrimaryKeyRelatedField(queryset=Machine.objects.all())
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DisposalRequestCreateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=DisposalRequestCreateSerializer, responses={201: DisposalRequestSerializer}
    )
    def post(self, request):
        serializer = DisposalRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.disposal_request_create(actor=request.user, **serializer.validated_data)
        return Response(DisposalRequestSerializer(created).data, status=201)


def _visible_request(request, pk: int) -> DisposalRequest:
    found = selectors.disposal_request_get_for_user(request_id=pk, user=request.user)
    if found is None:
        raise NotFoundError("not found")
    return found


class QuoteSerializer(serializers.Serializer):
    recycler = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    price = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class QuoteSubmitView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=QuoteSerializer, responses={201: dict})
    def post(self, request, pk: int):
        serializer = QuoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        quote = services.disposal_quote_submit(
            request=_visible_request(request, pk), actor=request.user, **serializer.validated_data
        )
        return Response(
            {"id": quote.pk, "price": str(quote.price), "status": quote.status}, status=201
        )


class QuoteAcceptView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: DisposalRequestSerializer})
    def post(self, request, pk: int):
        quote = get_object_or_404(DisposalQuote, pk=pk)
        _visible_request(request, quote.request_id)
        accepted = services.disposal_quote_accept(quote=quote, actor=request.user)
        return Response(DisposalRequestSerializer(accepted).data)


class MaterialSerializer(serializers.Serializer):
    material = serializers.ChoiceField(choices=Material.choices)
    treatment = serializers.ChoiceField(choices=Treatment.choices)

    class Meta:
        ref_name = "DisposalMaterial"

    mass_kg = serializers.DecimalField(max_digits=12, decimal_places=3)


class CompletionSerializer(serializers.Serializer):
    completed_on = serializers.DateField(required=False)
    materials = MaterialSerializer(many=True)


class DisposalCompleteView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CompletionSerializer, responses={201: dict})
    def post(self, request, pk: int):
        serializer = CompletionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        certificate = services.disposal_complete(
            request=_visible_request(request, pk),
            actor=request.user,
            completed_on=data.get("completed_on"),
            materials=[services.MaterialInput(**line) for line in data["materials"]],
        )
        return Response(
            {
                "number": certificate.number,
                "recoverability_rate": str(certificate.recoverability_rate),
                "recyclability_rate": str(certificate.recyclability_rate),
                "verify_url": verify_path(certificate),
            },
            status=201,
        )
