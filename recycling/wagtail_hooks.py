"""Read-only views of disposal requests and certificates in the Wagtail admin."""

from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from core.admin_policies import ReadOnlyModelPermissionPolicy
from recycling.models import DisposalCertificate, DisposalRequest

for _model in (DisposalRequest, DisposalCertificate):
    register_permission_policy(_model, ReadOnlyModelPermissionPolicy(_model))


class DisposalRequestViewSet(ModelViewSet):
    model = DisposalRequest
    icon = "bin"
    menu_label = gettext_lazy("报废处置申请")
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields: list[str] = []
    search_backend_name = None
    list_display = ["__str__", "owner", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["machine__serial_number", "owner__name"]


class DisposalCertificateViewSet(ModelViewSet):
    model = DisposalCertificate
    icon = "success"
    menu_label = gettext_lazy("报废拆解证书")
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields: list[str] = []
    search_backend_name = None
    list_display = ["__str__", "machine", "recycler", "recoverability_rate", "issued_at"]
    search_fields = ["number", "machine__serial_number"]


class RecyclingViewSetGroup(ModelViewSetGroup):
    items = (DisposalRequestViewSet, DisposalCertificateViewSet)
    menu_label = gettext_lazy("回收拆解")
    menu_icon = "bin"


@hooks.register("register_admin_viewset")
def register_recycling_viewsets():
    return RecyclingViewSetGroup()
