"""Staff tools in the Wagtail admin: bank-transfer reconciliation, deposits to pay back and
read-only payment data."""

from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from core.admin_policies import ReadOnlyModelPermissionPolicy, StaffMenuMixin
from payments.models import DepositEntry, Payment, WebhookEvent

for _model in (Payment, WebhookEvent, DepositEntry):
    register_permission_policy(_model, ReadOnlyModelPermissionPolicy(_model))


class StaffMenuItem(StaffMenuMixin, MenuItem):
    pass


@hooks.register("register_admin_menu_item")
def register_bank_transfer_menu_item():
    return StaffMenuItem(
        gettext_lazy("对公转账核对"),
        reverse("payments:bank_transfers"),
        name="bank-transfers",
        icon_name="success",
        order=230,
    )


@hooks.register("register_admin_menu_item")
def register_bank_refund_menu_item():
    return StaffMenuItem(
        gettext_lazy("待退保证金"),
        reverse("payments:bank_refunds"),
        name="bank-refunds",
        icon_name="arrow-left",
        order=231,
    )


class PaymentViewSet(ModelViewSet):
    name = "payments_payments"
    url_prefix = "payments/payments"
    model = Payment
    icon = "doc-full"
    menu_label = gettext_lazy("支付")
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields: list[str] = []
    search_backend_name = None
    list_display = ["__str__", "rail", "bank_reference", "stripe_payment_intent_id", "updated_at"]
    list_filter = ["status", "rail", "purpose"]
    search_fields = ["bank_reference", "stripe_payment_intent_id"]


class WebhookEventViewSet(ModelViewSet):
    name = "payments_webhook_events"
    url_prefix = "payments/webhook-events"
    model = WebhookEvent
    icon = "warning"
    menu_label = gettext_lazy("Stripe 事件")
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields: list[str] = []
    search_backend_name = None
    list_display = [
        "stripe_event_id",
        "event_type",
        "status",
        "reject_reason",
        "attempts",
        "received_at",
    ]
    list_filter = ["status", "reject_reason", "event_type"]
    search_fields = ["stripe_event_id", "payment_intent_id"]


class DepositEntryViewSet(ModelViewSet):
    """Where each deposit's money went (applied, released, forfeited, owed back, refunded)."""

    name = "payments_deposit_entries"
    url_prefix = "payments/deposit-entries"
    model = DepositEntry
    icon = "list-ul"
    menu_label = gettext_lazy("保证金去向")
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields: list[str] = []
    search_backend_name = None
    list_display = ["payment", "kind", "amount", "reason", "reference", "created_at"]
    list_filter = ["kind", "reason"]
    search_fields = ["reference", "payment__bank_reference", "payment__stripe_payment_intent_id"]


class PaymentsViewSetGroup(ModelViewSetGroup):
    items = (PaymentViewSet, WebhookEventViewSet, DepositEntryViewSet)
    menu_icon = "doc-full"
    menu_label = gettext_lazy("支付")
    menu_order = 230


@hooks.register("register_admin_viewset")
def register_payments_viewsets():
    return PaymentsViewSetGroup()
