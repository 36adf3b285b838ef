"""Read-only listings API: published listings with the browse page's filters (the listing
query object, marketplace.listing_query)."""

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from core.api import ErrorSerializer
from marketplace import selectors
from marketplace.listing_query import LIVE_PARAMS
from marketplace.models import Listing
from marketplace.serializers import (
    ListingDetailSerializer,
    ListingFilterSerializer,
    ListingSummarySerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="List published listings",
        parameters=[
            ListingFilterSerializer,
            # The listing query object's other filters (the search page's, without the index).
            *(
                OpenApiParameter(name, str, required=False)
                for name in sorted(LIVE_PARAMS - set(ListingFilterSerializer().fields))
            ),
        ],
        responses={200: ListingSummarySerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(
        summary="One listing with machine specs, photos, hours history and seller",
        description="Published, reserved and sold listings are public; members of the "
        "seller organization also see its other listings.",
        responses={200: ListingDetailSerializer, 404: OpenApiResponse(ErrorSerializer)},
    ),
)
class ListingViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    queryset = Listing.objects.none()
    lookup_value_converter = "int"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ListingDetailSerializer
        return ListingSummarySerializer

    def get_queryset(self) -> QuerySet[Listing]:
        if self.action == "retrieve":
            return selectors.listing_detail_queryset(user=self.request.user)
        filters = ListingFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.listing_query_queryset(filters.to_query())
