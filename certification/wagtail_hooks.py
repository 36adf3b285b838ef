"""Read-only views of inspection requests, reports and certificates in the Wagtail admin.

Documents change only through the services (which keep them immutable once published and
write the audit trail), so staff get list and inspect views, never edit forms.
"""

from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from certification.models import InspectionReport, InspectionRequest, RemanCertificate
from core.admin_policies import ReadOnlyModelPermissionPolicy

for _model in (InspectionRequest, InspectionReport, RemanCertificate):
    register_permission_policy(_model, ReadOnlyModelPermissionPolicy(_model))


class _ReadOnlyViewSet(ModelViewSet):
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields: list[str] = []  # never shown: the read-only policy denies add/edit
    search_backend_name = None


class InspectionRequestViewSet(_ReadOnlyViewSet):
    model = InspectionRequest
    icon = "mail"
    menu_label = gettext_lazy("检测申请")
    list_display = ["__str__", "requester", "certifier", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["machine__serial_number", "requester__name", "certifier__name"]


class InspectionReportViewSet(_ReadOnlyViewSet):
    model = InspectionReport
    icon = "doc-full"
    menu_label = gettext_lazy("检测报告")
    list_display = ["__str__", "machine", "certifier", "status", "grade", "submitted_at"]
    list_filter = ["status", "grade"]
    search_fields = ["number", "machine__serial_number", "certifier__name"]


class RemanCertificateViewSet(_ReadOnlyViewSet):
    model = RemanCertificate
    icon = "success"
    menu_label = gettext_lazy("再制造证书")
    list_display = ["__str__", "machine", "certifier", "status", "remanufacturing_rate"]
    list_filter = ["status", "subject"]
    search_fields = ["number", "machine__serial_number", "component_serial"]


class CertificationViewSetGroup(ModelViewSetGroup):
    items = (InspectionRequestViewSet, InspectionReportViewSet, RemanCertificateViewSet)
    menu_label = gettext_lazy("检测认证")
    menu_icon = "success"


@hooks.register("register_admin_viewset")
def register_certification_viewsets():
    return CertificationViewSetGroup()
