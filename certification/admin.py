"""Read-only admin: staff can look; every change goes through the services (which keep
submitted reports and issued certificates immutable and write the audit trail)."""

from django.contrib import admin

from certification.models import (
    CertificationEvent,
    InspectionItem,
    InspectionReport,
    InspectionRequest,
    RemanCertificate,
    RemanPart,
    RemanStageRecord,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ItemInline(ReadOnlyInline):
    model = InspectionItem


class StageInline(ReadOnlyInline):
    model = RemanStageRecord


class PartInline(ReadOnlyInline):
    model = RemanPart


@admin.register(InspectionRequest)
class InspectionRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "machine", "requester", "certifier", "status", "created_at"]
    list_filter = ["status"]


@admin.register(InspectionReport)
class InspectionReportAdmin(ReadOnlyAdmin):
    list_display = ["number", "machine", "certifier", "status", "grade", "version", "submitted_at"]
    list_filter = ["status", "grade"]
    search_fields = ["number", "machine__serial_number"]
    inlines = [ItemInline]


@admin.register(RemanCertificate)
class RemanCertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "machine", "certifier", "status", "remanufacturing_rate", "issued_at"]
    list_filter = ["status", "subject"]
    search_fields = ["number", "machine__serial_number", "component_serial"]
    inlines = [StageInline, PartInline]


@admin.register(CertificationEvent)
class CertificationEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor", "request", "report", "certificate"]
    list_filter = ["action"]
