"""Payments' part of the dashboard and role menu (see core.dashboard): the staff queues of
bank transfers to confirm and deposits owed back (bank deposits, and card refunds that failed
at Stripe), each with its oldest item's age."""

from django.db.models import Count, Min
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.memberships import is_staff
from accounts.models import User
from core.dashboard import DashboardItem, DashboardSection, MenuEntry
from payments import selectors


def sections(request: HttpRequest, user: User) -> list[DashboardSection]:
    if not is_staff(request):
        return []
    transfers = selectors.pending_bank_transfers().aggregate(
        n=Count("id"), oldest=Min("created_at")
    )
    # The same list as the refunds page: bank deposits and card refunds that failed at Stripe.
    refunds = selectors.refunds_due()  # ordered longest owed first
    return [
        DashboardSection(
            title=_("待处理：资金"),
            key="payments.staff",
            items=[
                DashboardItem(
                    _("待确认的对公转账"),
                    transfers["n"],
                    reverse("payments:bank_transfers"),
                    "staff.bank_transfers",
                    oldest=transfers["oldest"],
                ),
                DashboardItem(
                    _("待退还的保证金"),
                    len(refunds),
                    reverse("payments:bank_refunds"),
                    "staff.bank_refunds",
                    oldest=refunds[0].owed_since if refunds else None,
                ),
            ],
        )
    ]


def menu(request: HttpRequest, user: User) -> list[MenuEntry]:
    if not is_staff(request):
        return []
    return [
        MenuEntry(
            "staff", _("对公转账确认"), reverse("payments:bank_transfers"), "staff.bank_transfers"
        ),
        MenuEntry("staff", _("保证金退还"), reverse("payments:bank_refunds"), "staff.bank_refunds"),
    ]
