"""Staff views of leasing data in the Wagtail admin: read-only, since every change goes
through the services (state machine, limits, encumbrance) and leaves audit rows."""

from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from core.admin_policies import ReadOnlyModelPermissionPolicy
from leasing.models import LeaseApplication, LeaseContract, LeaseProduct

for _model in (LeaseProduct, LeaseApplication, LeaseContract):
    register_permission_policy(_model, ReadOnlyModelPermissionPolicy(_model))


class LeaseProductViewSet(ModelViewSet):
    model = LeaseProduct
    icon = "tag"
    menu_label = gettext_lazy("融资租赁产品")
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields: list[str] = []  # never shown: the read-only policy denies add/edit
    search_backend_name = None
    search_fields = ["name", "lessor__name"]
    list_display = ["name", "lessor", "default_annual_rate", "max_ltv", "is_active"]
    list_filter = ["is_active", "balloon_allowed", "allows_sale_leaseback"]


class LeaseApplicationViewSet(ModelViewSet):
    model = LeaseApplication
    icon = "form"
    menu_label = gettext_lazy("融资租赁申请")
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields: list[str] = []
    search_backend_name = None
    search_fields = ["applicant__name", "lessor__name"]
    list_display = ["__str__", "kind", "status", "price", "term_months", "submitted_at"]
    list_filter = ["kind", "status"]


class LeaseContractViewSet(ModelViewSet):
    model = LeaseContract
    icon = "doc-full"
    menu_label = gettext_lazy("融资租赁合同")
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields: list[str] = []
    search_backend_name = None
    search_fields = ["contract_number", "registry_reference", "lessee__name"]
    list_display = ["contract_number", "lessor", "lessee", "machine", "status", "start_date"]
    list_filter = ["status"]


class LeasingViewSetGroup(ModelViewSetGroup):
    items = (LeaseProductViewSet, LeaseApplicationViewSet, LeaseContractViewSet)
    menu_icon = "tag"
    menu_label = gettext_lazy("融资租赁")
    menu_order = 230


@hooks.register("register_admin_viewset")
def register_leasing_viewsets():
    return LeasingViewSetGroup()
