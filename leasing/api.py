"""REST API of the leasing app: quote preview, products, listing quotes, applications."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.models import Organization
from core.api import ErrorSerializer
from core.errors import NotFoundError
from leasing import selectors, services
from leasing.models import ApplicationKind, LeaseApplication, LeaseProduct
from leasing.parsing import PayloadError, preview_dict, quote_preview
from leasing.quoting import QuoteRequest, listing_quotes
from leasing.serializers import (
    ApplicationCreateSerializer,
    ApprovalSerializer,
    ContractStartSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    LeaseApplicationDetailSerializer,
    LeaseApplicationSerializer,
    LeaseNoteSerializer,
    LeaseProductSerializer,
    LeaseReasonSerializer,
    ListingQuoteQuerySerializer,
    QuotePreviewRequestSerializer,
    QuotePreviewResponseSerializer,
)
from marketplace import selectors as marketplace_selectors
from marketplace.models import Machine


class QuotePreviewView(APIView):
    """Price any lease from its terms: no login, rate limited (scope ``quote``)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []  # anonymous by design, so no CSRF token is needed
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "quote"

    @extend_schema(
        summary="Quote preview: rents, schedule, APR/EAR and VAT for the given terms",
        request=QuotePreviewRequestSerializer,
        responses={200: QuotePreviewResponseSerializer, 400: ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        try:
            inp, result = quote_preview(request.data)
        except PayloadError as exc:
            raise serializers.ValidationError(exc.fields) from exc
        return Response(preview_dict(inp, result))


class ProductListView(generics.ListAPIView):
    """Active lease products of verified lessors."""

    permission_classes = [AllowAny]
    serializer_class = LeaseProductSerializer

    def get_queryset(self):
        return selectors.product_list_public()


def quote_request_from(data: dict) -> QuoteRequest:
    return QuoteRequest(
        down_payment=data.get("down_payment"),
        term_months=data.get("term_months"),
        method=data.get("method", "annuity"),
        timing=data.get("timing", "arrears"),
        lease_type=data.get("lease_type", "direct"),
        balloon=data.get("balloon") or Decimal(0),
    )


class ListingQuotesView(APIView):
    """Every matching lessor's quote for one listing, within LTV and residual limits."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "quote"

    @extend_schema(
        summary="Side-by-side lease quotes for a listing",
        parameters=[ListingQuoteQuerySerializer],
        responses={200: OpenApiTypes.OBJECT, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request, listing_id: int) -> Response:
        listing = marketplace_selectors.listing_get_for_user(
            listing_id=listing_id, user=request.user
        )
        if listing is None:
            raise Http404
        query = ListingQuoteQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        quotes = listing_quotes(listing, quote_request_from(query.validated_data))
        return Response(
            {
                "listing": listing.pk,
                "price": str(listing.asking_price) if listing.asking_price else None,
                "quotes": [item.to_dict() for item in quotes],
            }
        )


def _applicant_org(request: Request, organization_id: int | None) -> Organization:
    user = request.user
    if organization_id is None:
        organization = user.organization
    else:
        organization = Organization.objects.filter(
            pk=organization_id, memberships__user=user
        ).first()
    if organization is None:
        raise NotFoundError("organization not found")
    return organization


class ApplicationViewSet(viewsets.GenericViewSet):
    """A buyer's own applications (``?role=applicant``) or a lessor's inbox (``?role=lessor``).

    Applications of other organizations do not exist for the caller (404).
    """

    permission_classes = [IsAuthenticated]
    queryset = LeaseApplication.objects.none()
    serializer_class = LeaseApplicationSerializer
    lookup_value_converter = "int"  # /applications/abc/ is a 404, not a failed int()

    def get_queryset(self):
        role = self.request.query_params.get("role")
        if role == "lessor":
            return selectors.applications_for_review(self.request.user)
        if role == "applicant":
            return selectors.applications_of_applicant(self.request.user)
        return selectors.applications_visible_to(self.request.user)

    def _get(self, pk: int) -> LeaseApplication:
        application = selectors.application_get_for_user(application_id=pk, user=self.request.user)
        if application is None:
            raise Http404
        return application

    def _detail(self, application: LeaseApplication, code: int = 200) -> Response:
        fresh = self._get(application.pk)
        return Response(LeaseApplicationDetailSerializer(fresh).data, status=code)

    @extend_schema(
        parameters=[OpenApiParameter("role", str, enum=["applicant", "lessor"], required=False)]
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(LeaseApplicationSerializer(page, many=True).data)

    @extend_schema(responses={200: LeaseApplicationDetailSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(LeaseApplicationDetailSerializer(self._get(pk)).data)

    @extend_schema(
        request=ApplicationCreateSerializer,
        responses={201: LeaseApplicationDetailSerializer, 400: ErrorSerializer},
    )
    def create(self, request: Request) -> Response:
        data = ApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        applicant = _applicant_org(request, values.get("applicant"))
        product = LeaseProduct.objects.filter(pk=values["product"]).first()
        if product is None:
            raise NotFoundError("product not found")
        application = self._create(request, values, applicant, product)
        return self._detail(application, status.HTTP_201_CREATED)

    def _create(self, request, values, applicant, product) -> LeaseApplication:
        kind = values["kind"]
        message = values.get("message", "")
        if kind == ApplicationKind.PREAPPROVAL:
            return services.preapproval_request(
                actor=request.user,
                applicant=applicant,
                product=product,
                amount=values["price"],
                term_months=values["term_months"],
                message=message,
            )
        if kind == ApplicationKind.SALE_LEASEBACK:
            machine = Machine.objects.filter(pk=values["machine"]).first()
            if machine is None:
                raise NotFoundError("machine not found")
            return services.sale_leaseback_request(
                actor=request.user,
                applicant=applicant,
                product=product,
                machine=machine,
                price=values["price"],
                term_months=values["term_months"],
                message=message,
            )
        listing = marketplace_selectors.listing_get_for_user(
            listing_id=values["listing"], user=request.user
        )
        if listing is None:
            raise NotFoundError("listing not found")
        return services.application_submit(
            actor=request.user,
            applicant=applicant,
            product=product,
            listing=listing,
            request=quote_request_from(values),
            message=message,
        )

    @extend_schema(request=LeaseNoteSerializer, responses={200: LeaseApplicationDetailSerializer})
    @action(detail=True, methods=["post"], url_path="request-info")
    def request_info(self, request: Request, pk: int) -> Response:
        body = LeaseNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = services.application_request_info(
            actor=request.user, application=self._get(pk), note=body.validated_data.get("note", "")
        )
        return self._detail(application)

    @extend_schema(request=LeaseNoteSerializer, responses={200: LeaseApplicationDetailSerializer})
    @action(detail=True, methods=["post"])
    def resubmit(self, request: Request, pk: int) -> Response:
        body = LeaseNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = services.application_resubmit(
            actor=request.user, application=self._get(pk), note=body.validated_data.get("note", "")
        )
        return self._detail(application)

    @extend_schema(request=ApprovalSerializer, responses={200: LeaseApplicationDetailSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: int) -> Response:
        body = ApprovalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = services.application_approve(
            actor=request.user,
            application=self._get(pk),
            terms=services.ApprovalTerms(**body.validated_data),
        )
        return self._detail(application)

    @extend_schema(request=LeaseReasonSerializer, responses={200: LeaseApplicationDetailSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: int) -> Response:
        body = LeaseReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = services.application_decline(
            actor=request.user,
            application=self._get(pk),
            reason=body.validated_data.get("reason", ""),
        )
        return self._detail(application)

    @extend_schema(request=None, responses={200: LeaseApplicationDetailSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: int) -> Response:
        application = services.application_accept(actor=request.user, application=self._get(pk))
        return self._detail(application)

    @extend_schema(request=LeaseReasonSerializer, responses={200: LeaseApplicationDetailSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: int) -> Response:
        body = LeaseReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = services.application_withdraw(
            actor=request.user,
            application=self._get(pk),
            reason=body.validated_data.get("reason", ""),
        )
        return self._detail(application)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer, 400: ErrorSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
        url_path="documents",
    )
    def documents(self, request: Request, pk: int) -> Response:
        body = DocumentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        document = services.application_document_add(
            actor=request.user,
            application=self._get(pk),
            kind=body.validated_data["kind"],
            upload=body.validated_data["file"],
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ContractStartSerializer,
        responses={201: OpenApiResponse(description="contract started"), 400: ErrorSerializer},
    )
    @action(detail=True, methods=["post"], url_path="start-contract")
    def start_contract(self, request: Request, pk: int) -> Response:
        body = ContractStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        contract = services.contract_start(
            actor=request.user, application=self._get(pk), **body.validated_data
        )
        return Response(
            {
                "id": contract.pk,
                "contract_number": contract.contract_number,
                "registry_reference": contract.registry_reference,
                "status": contract.status,
            },
            status=status.HTTP_201_CREATED,
        )
