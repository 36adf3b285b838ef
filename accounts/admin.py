"""Django admin: users and memberships are managed here; KYC decisions go through the
Wagtail admin view (accounts.wagtail_hooks), so the KYC fields are read-only."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, KycEvent, Membership, Organization, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class IronloopUserAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Ironloop"), {"fields": ("display_name", "phone", "preferred_language")}),
    )
    list_display = ("username", "display_name", "email", "is_staff", "is_active")
    inlines = [MembershipInline]


class KycEventInline(admin.TabularInline):
    model = KycEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "actor", "note", "created_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "kyc_status", "credit_code", "city", "is_simulated")
    list_filter = ("kind", "kyc_status", "is_simulated")
    search_fields = ("name", "credit_code")
    readonly_fields = (
        "kyc_status",
        "kyc_note",
        "kyc_reviewed_at",
        "created_at",
        "licence_link",
    )
    exclude = ("business_licence",)  # private: no public URL for the file widget to show
    inlines = [KycEventInline]

    @admin.display(description=_("营业执照"))
    def licence_link(self, obj: Organization) -> str:
        if not obj.pk or not obj.business_licence:
            return "—"
        url = reverse("accounts:organization_licence", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("下载营业执照"))


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are created and accepted through the accounts services."""

    list_display = ("email", "organization", "role", "status", "created_at", "expires_at")
    list_filter = ("status", "role")
    search_fields = ("email", "organization__name")
    exclude = ("token_hash",)
    readonly_fields = (
        "organization",
        "email",
        "role",
        "status",
        "invited_by",
        "accepted_by",
        "created_at",
        "expires_at",
        "decided_at",
    )

    def has_add_permission(self, request) -> bool:
        return False
