"""Staff views of procurement in the Wagtail admin: read-only, and sealed like every surface.

Requests and quotes are listed (who quoted which request, which version, when, and the
quote's SHA-256 digest) but no quoted amount: prices live on quote lines, which the admin does
not show at all — staff read a comparison through the same selectors as the buyer, after the
opening. Rows change only through the services.
"""

from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from core.admin_policies import ReadOnlyModelPermissionPolicy, ReadOnlyViewSet
from procurement.models import Quote, RequestForQuotation

for _model in (RequestForQuotation, Quote):
    register_permission_policy(_model, ReadOnlyModelPermissionPolicy(_model))


class RequestViewSet(ReadOnlyViewSet):
    name = "procurement_requests"
    url_prefix = "procurement/requests"
    model = RequestForQuotation
    icon = "list-ul"
    menu_label = gettext_lazy("采购需求")
    list_display = ["title", "buyer", "method", "visibility", "status", "deadline"]
    list_filter = ["status", "method", "visibility"]
    search_fields = ["title", "buyer__name"]
    # The budget ceiling stays out of the staff view like it stays out of the suppliers'.
    inspect_view_fields = [
        "title",
        "buyer",
        "method",
        "visibility",
        "status",
        "deadline",
        "opening_at",
        "subject_to_tendering_law",
        "created_at",
    ]


class QuoteViewSet(ReadOnlyViewSet):
    name = "procurement_quotes"
    url_prefix = "procurement/quotes"
    model = Quote
    icon = "doc-full"
    menu_label = gettext_lazy("报价（密封）")
    list_display = ["rfq", "supplier", "version", "is_active", "submitted_at", "content_hash"]
    list_filter = ["is_active"]
    search_fields = ["rfq__title", "supplier__name"]
    inspect_view_fields = [
        "rfq",
        "supplier",
        "version",
        "is_active",
        "submitted_at",
        "content_hash",
    ]


class ProcurementViewSetGroup(ModelViewSetGroup):
    items = (RequestViewSet, QuoteViewSet)
    menu_icon = "list-ul"
    menu_label = gettext_lazy("集成采购")
    menu_order = 225


@hooks.register("register_admin_viewset")
def register_procurement_viewsets():
    return ProcurementViewSetGroup()
