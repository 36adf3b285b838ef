"""Django admin: the catalogue is edited here; machines, listings and sales are read-only
(they change only through services, which keep the state machine and audit rows)."""

from django.contrib import admin

from core.admin_mixins import ReadOnlyAdminMixin
from marketplace.models import (
    Brand,
    Category,
    EquipmentModel,
    Listing,
    ListingEvent,
    Machine,
    SaleRecord,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "slug", "parent", "position")
    search_fields = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "slug", "country", "is_domestic")
    search_fields = ("name", "name_en", "slug")


@admin.register(EquipmentModel)
class EquipmentModelAdmin(admin.ModelAdmin):
    list_display = ("name", "brand", "category", "operating_weight_t", "engine_power_kw")
    list_filter = ("brand", "category")
    search_fields = ("name", "base_model")


@admin.register(Machine)
class MachineAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("serial_number", "brand", "equipment_model", "owner", "current_hours", "city")
    list_filter = ("brand", "category", "is_certified", "is_encumbered", "is_scrapped")
    search_fields = ("serial_number", "owner__name")
    list_select_related = ("brand", "equipment_model", "owner")


class ListingEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ListingEvent
    extra = 0


@admin.register(Listing)
class ListingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "seller", "status", "sale_format", "asking_price", "updated_at")
    list_filter = ("status", "sale_format", "is_simulated")
    search_fields = ("title", "machine__serial_number", "seller__name")
    list_select_related = ("seller",)
    inlines = [ListingEventInline]


@admin.register(SaleRecord)
class SaleRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("brand_name", "model_name", "price", "sold_at", "source", "city")
    list_filter = ("source", "sale_channel")
    search_fields = ("brand_name", "model_name")
    date_hierarchy = "sold_at"
