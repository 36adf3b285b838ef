"""Read-only admin of the recycling app; changes go through recycling.services."""

from django.contrib import admin

from core.admin_mixins import ReadOnlyAdminMixin
from recycling.models import DisposalCertificate, DisposalQuote, DisposalRequest, MaterialLine


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


class QuoteInline(ReadOnlyInline):
    model = DisposalQuote


class MaterialInline(ReadOnlyInline):
    model = MaterialLine


@admin.register(DisposalRequest)
class DisposalRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["id", "machine", "owner", "status", "created_at"]
    list_filter = ["status"]
    inlines = [QuoteInline]


@admin.register(DisposalCertificate)
class DisposalCertificateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["number", "machine", "recycler", "recoverability_rate", "issued_at"]
    search_fields = ["number", "machine__serial_number"]
    inlines = [MaterialInline]
