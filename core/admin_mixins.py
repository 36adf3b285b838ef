"""Django admin helpers shared by the apps' registrations."""

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """Visible to staff, never edited here: these rows change only through services."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
