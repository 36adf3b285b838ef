"""What the leasing app adds to listing pages and cards (see core.panels)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.permissions import Permission, organizations_with_permission
from leasing.models import LeaseType, RentTiming, RepaymentMethod
from leasing.quoting import indicative_payments, listing_quotes
from leasing.templatetags.leasing_tags import vat_texts
from marketplace.models import Listing


def _yuan(amount: Decimal) -> str:
    return f"¥{amount.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


def listing_panel(request: HttpRequest, listing: Listing) -> str:
    """The lease calculator with every matching lessor's quote, server-rendered by default."""
    if listing.asking_price is None:
        return ""
    quotes = listing_quotes(listing)
    terms = sorted({term for item in quotes for term in item.product.term_choices()})
    best = next((item for item in quotes if item.result is not None), None)
    default_down = best.quote_input.down_payment if best else listing.asking_price * Decimal("0.3")
    can_apply = bool(organizations_with_permission(request.user, Permission.LEASE_APPLY))
    return render_to_string(
        "leasing/includes/listing_panel.html",
        {
            "listing": listing,
            "quotes": quotes,
            "terms": terms or [36],
            "default_term": best.quote_input.term_months if best else 36,
            "default_down": default_down,
            "methods": RepaymentMethod.choices,
            "timings": RentTiming.choices,
            "lease_types": LeaseType.choices,
            "api_url": reverse("api-lease-listing-quotes", args=[listing.pk]),
            "apply_url": reverse("leasing:listing_apply", args=[listing.pk]) if can_apply else "",
            "labels": _js_labels(),
        },
        request=request,
    )


def _js_labels() -> dict[str, str]:
    """Translated strings for calculator.js, which renders quotes after a change."""
    return {
        "apr": _("年化利率（APR，含全部费用）"),
        "ear": _("实际年利率（EAR）"),
        "nominal": _("名义年利率"),
        "monthly": _("月租金"),
        "first_last": _("首期/末期租金"),
        "down_payment": _("首付款"),
        "principal": _("融资额"),
        "term": _("期限"),
        "months": _("个月"),
        "deposit": _("保证金"),
        "fee": _("手续费"),
        "buyout": _("留购价"),
        "balloon": _("尾付"),
        "total_payments": _("租金及尾付合计"),
        "total_cost": _("融资总成本（利息+手续费+留购价）"),
        "vat_types": vat_texts(),
        "colon": pgettext("标点", "："),
        "vat_deductible": _("承租人可凭增值税专用发票抵扣进项税"),
        "vat_not_deductible": _("承租人不可抵扣"),
        "schedule": _("查看完整租金计划"),
        "period": _("期数"),
        "rent": _("租金"),
        "principal_part": _("本金"),
        "interest": _("利息"),
        "balance": _("剩余本金"),
        "apply": _("申请此方案"),
        "none": _("暂无符合条件的融资租赁产品。"),
        "error": _("报价暂不可用"),
        "loading": _("计算中…"),
        "failed": _("计算失败，请检查输入。"),
    }


def card_extras(request: HttpRequest, listings: list[Listing]) -> dict[int, str]:
    """ "约 ¥X/月" per card from the cheapest matching product, for the page at once.

    Constant queries: active products (with categories and rate bands) once, the machine
    facts of all listings in one query, the category tree once; the rest is Python.
    """
    payments = indicative_payments(listings)
    return {
        listing_id: format_html(
            '<span class="badge lease-monthly" title="{}" data-untranslated="title">{}</span>',
            payment.product.lessor.name,
            _("融资租赁 约 %(amount)s/月") % {"amount": _yuan(payment.monthly)},
        )
        for listing_id, payment in payments.items()
    }
