"""Wagtail admin permission policies shared by the apps' admin registrations."""

from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy


class ReadOnlyModelPermissionPolicy(ModelPermissionPolicy):
    """Staff may look, never add, edit or delete: these rows change only through services.

    Listings, machines, organizations and sale records carry state machines and audit rows;
    a generic edit form would bypass them, so the admin only gets the inspect view.
    """

    def user_has_permission(self, user, action: str) -> bool:
        if action != "view":
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)


class StaffMenuMixin:
    """A Wagtail menu item shown to platform staff only."""

    def is_shown(self, request) -> bool:
        return bool(request.user.is_authenticated and request.user.is_staff)


class ReadOnlyViewSet(ModelViewSet):
    """A list and an inspect view, no forms: pair it with ``ReadOnlyModelPermissionPolicy``."""

    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields: list[str] = []  # never shown: the read-only policy denies add/edit
    search_backend_name = None
