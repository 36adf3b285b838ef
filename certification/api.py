"""REST API of the certification app (mounted under /api/certification/).

Views parse input with serializers and call the same selectors and services as the HTML
views; domain errors become the project's error format through core.api.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organization
from accounts.permissions import Permission, organizations_with_permission
from certification import selectors
from certification.models import InspectionReport, InspectionRequest, RemanCertificate
from certification.services import certificates, inspections
from certification.verification import document_content, find_verified_document, verify_path
from core.errors import PermissionDeniedError
from marketplace.models import Machine


class _VerifyUrlMixin(serializers.Serializer):
    verify_url = serializers.SerializerMethodField()

    def get_verify_url(self, document) -> str | None:
        return verify_path(document) if document.number else None


class ReportSummarySerializer(_VerifyUrlMixin, serializers.ModelSerializer):
    machine = serializers.StringRelatedField()
    certifier = serializers.StringRelatedField()
    # Plain strings in the schema: the enums are documented on the models and shared names
    # ("status", "grade") would collide with other apps' enums.
    status = serializers.CharField(read_only=True)
    grade = serializers.CharField(read_only=True)

    class Meta:
        model = InspectionReport
        fields = [
            "id",
            "number",
            "version",
            "status",
            "machine",
            "machine_id",
            "certifier",
            "inspected_on",
            "hour_meter_reading",
            "grade",
            "submitted_at",
            "verify_url",
        ]


class CertificateSummarySerializer(_VerifyUrlMixin, serializers.ModelSerializer):
    machine = serializers.StringRelatedField()
    certifier = serializers.StringRelatedField()
    status = serializers.CharField(read_only=True)
    subject = serializers.CharField(read_only=True)

    class Meta:
        model = RemanCertificate
        fields = [
            "id",
            "number",
            "version",
            "status",
            "machine",
            "machine_id",
            "certifier",
            "subject",
            "component_name",
            "remanufacturing_rate",
            "valid_from",
            "valid_until",
            "issued_at",
            "revocation_reason",
            "verify_url",
        ]


class VerifyView(APIView):
    """Public: the certified content of a document whose number and code match."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: dict})
    def get(self, request, number: str, code: str):
        found = find_verified_document(number, code)
        if found is None:
            raise Http404
        kind, document = found
        return Response(
            {
                "kind": kind.prefix,
                "number": document.number,
                "status": document.status,
                "revocation_reason": getattr(document, "revocation_reason", "") or None,
                "content": document_content(document),
            }
        )


class PassportView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: dict})
    def get(self, request, pk: int):
        machine = selectors.machine_for_passport(pk)
        if machine is None:
            raise Http404
        passport = selectors.machine_passport(machine=machine, user=request.user)
        return Response(selectors.passport_as_dict(passport))


class ReportListView(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = ReportSummarySerializer

    def get_queryset(self):
        return (
            InspectionReport.objects.filter(selectors.report_visible_to(self.request.user))
            .select_related("machine__brand", "machine__equipment_model", "certifier", "previous")
            .prefetch_related("items")
            .order_by("-id")
        )


class CertificateListView(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = CertificateSummarySerializer

    def get_queryset(self):
        return (
            RemanCertificate.objects.filter(selectors.certificate_visible_to(self.request.user))
            .select_related("machine__brand", "machine__equipment_model", "certifier", "previous")
            .prefetch_related("stages", "parts")
            .order_by("-id")
        )


class RequestCreateSerializer(serializers.Serializer):
    machine = serializers.PrimaryKeyRelatedField(queryset=Machine.objects.all())
    certifier = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RequestCreateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=RequestCreateSerializer, responses={201: dict})
    def post(self, request):
        serializer = RequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        requesters = organizations_with_permission(request.user, Permission.INSPECTION_REQUEST)
        requester = next((o for o in requesters if o.pk == data["machine"].owner_id), None) or (
            requesters[0] if requesters else None
        )
        if requester is None:
            raise PermissionDeniedError("permission denied")
        created = inspections.inspection_request_create(
            machine=data["machine"],
            requester=requester,
            certifier=data["certifier"],
            actor=request.user,
            note=data["note"],
        )
        return Response({"id": created.pk, "status": created.status}, status=201)


class RequestAcceptView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: dict})
    def post(self, request, pk: int):
        inspection_request = get_object_or_404(InspectionRequest, pk=pk)
        report = inspections.inspection_request_accept(
            request=inspection_request, actor=request.user
        )
        return Response({"id": inspection_request.pk, "report_id": report.pk})


class ReportSubmitView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: ReportSummarySerializer})
    def post(self, request, pk: int):
        report = get_object_or_404(InspectionReport, pk=pk)
        report = inspections.inspection_report_submit(report=report, actor=request.user)
        return Response(ReportSummarySerializer(report).data)


class CertificateIssueView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: CertificateSummarySerializer})
    def post(self, request, pk: int):
        certificate = get_object_or_404(RemanCertificate, pk=pk)
        certificate = certificates.reman_certificate_issue(
            certificate=certificate, actor=request.user
        )
        return Response(CertificateSummarySerializer(certificate).data)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class CertificateRevokeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ReasonSerializer, responses={200: CertificateSummarySerializer})
    def post(self, request, pk: int):
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        certificate = get_object_or_404(RemanCertificate, pk=pk)
        certificate = certificates.reman_certificate_revoke(
            certificate=certificate,
            actor=request.user,
            reason=serializer.validated_data["reason"],
        )
        return Response(CertificateSummarySerializer(certificate).data)
