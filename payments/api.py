"""REST API of the payments app: staff reconciliation of bank transfers."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from payments import services


class BankTransferSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=32)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class BankTransferResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    reference = serializers.CharField()


@extend_schema(request=BankTransferSerializer, responses={200: BankTransferResultSerializer})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def bank_transfer_confirm(request: Request) -> Response:
    data = BankTransferSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    payment = services.bank_transfer_confirm(actor=request.user, **data.validated_data)
    return Response(
        {"id": payment.pk, "status": payment.status, "reference": payment.bank_reference}
    )
