"""REST API of the trading app: lot status, bids, buy-now, offers, orders.

Errors use the project format ``{"error": {"code", "message", "fields"}}`` via core.api.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.errors import NotFoundError, PermissionDeniedError
from marketplace.models import Listing
from trading import selectors
from trading.errors import TradingErrorCode
from trading.models import Lot, Offer, Order
from trading.services import auctions, offers, orders


class BidSerializer(serializers.Serializer):
    maximum = serializers.DecimalField(max_digits=14, decimal_places=2)
    organization = serializers.IntegerField(required=False)


class OfferSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    message = serializers.CharField(required=False, allow_blank=True, max_length=300)
    organization = serializers.IntegerField(required=False)


class BuyNowSerializer(serializers.Serializer):
    organization = serializers.IntegerField(required=False)


class BidResultSerializer(serializers.Serializer):
    bid = serializers.IntegerField()
    leading = serializers.BooleanField()
    current_price = serializers.DecimalField(max_digits=14, decimal_places=2)
    ends_at = serializers.DateTimeField()
    extended = serializers.BooleanField()


class OfferCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    expires_at = serializers.DateTimeField()


class OrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = [
            "id",
            "listing",
            "buyer",
            "seller",
            "channel",
            "status",
            "price",
            "buyer_fee",
            "fee_vat",
            "total",
            "deposit_applied",
            "amount_due",
            "currency",
            "payment_deadline",
            "bank_reference",
            "paid_at",
            "collected_at",
            "storage_fee",
            "abandoned_at",
        ]


def _buyer(request: Request, organization_id: int | None):
    organization = selectors.buyer_organization(request.user, organization_id)
    if organization is None:
        raise PermissionDeniedError(
            _("您不属于可以购买的机构。"), code=TradingErrorCode.NO_BUYER_ORGANIZATION
        )
    return organization


@extend_schema(responses={200: OpenApiTypes.OBJECT}, description="Live status of a lot.")
@api_view(["GET"])
@permission_classes([AllowAny])
def lot_detail(request: Request, pk: int) -> Response:
    lot = get_object_or_404(Lot, pk=pk)
    organization = (
        selectors.buyer_organization(request.user) if request.user.is_authenticated else None
    )
    return Response(selectors.lot_status(lot=lot, organization=organization))


@extend_schema(request=BidSerializer, responses={201: BidResultSerializer})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def lot_bid(request: Request, pk: int) -> Response:
    lot = get_object_or_404(Lot, pk=pk)
    data = BidSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    result = auctions.bid_place(
        lot=lot,
        bidder=_buyer(request, data.validated_data.get("organization")),
        actor=request.user,
        maximum=data.validated_data["maximum"],
    )
    return Response(
        {
            "bid": result.bid.pk,
            "leading": result.leading,
            "current_price": str(result.price),
            "ends_at": result.ends_at.isoformat(),
            "extended": result.extended,
        },
        status=status.HTTP_201_CREATED,
    )


@extend_schema(request=BuyNowSerializer, responses={201: OrderSerializer})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def listing_buy_now(request: Request, pk: int) -> Response:
    listing = get_object_or_404(Listing, pk=pk)
    data = BuyNowSerializer(data=request.data)  # a body of `true` or `[1]` is a 400
    data.is_valid(raise_exception=True)
    order = orders.buy_now(
        listing=listing,
        buyer=_buyer(request, data.validated_data.get("organization")),
        actor=request.user,
    )
    return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)


@extend_schema(request=OfferSerializer, responses={201: OfferCreatedSerializer})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def listing_offer(request: Request, pk: int) -> Response:
    listing = get_object_or_404(Listing, pk=pk)
    data = OfferSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    offer = offers.offer_make(
        listing=listing,
        buyer=_buyer(request, data.validated_data.get("organization")),
        actor=request.user,
        amount=data.validated_data["amount"],
        message=data.validated_data.get("message", ""),
    )
    return Response(
        {"id": offer.pk, "status": offer.status, "expires_at": offer.expires_at.isoformat()},
        status=status.HTTP_201_CREATED,
    )


@extend_schema(responses={200: OrderSerializer})
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def order_detail(request: Request, pk: int) -> Response:
    order = get_object_or_404(Order, pk=pk)
    if not selectors.order_visible_to(order, request.user):
        raise NotFoundError(_("未找到订单。"))
    return Response(OrderSerializer(order).data)


class OfferStateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


@extend_schema(request=None, responses={200: OfferStateSerializer})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def offer_withdraw(request: Request, pk: int) -> Response:
    """The buyer withdraws an offer still waiting for an answer (open or countered)."""
    offer = Offer.objects.filter(pk=pk).first()
    if offer is None:
        raise NotFoundError(_("未找到议价。"))
    offer = offers.offer_withdraw(offer=offer, actor=request.user)
    return Response({"id": offer.pk, "status": offer.status})
