"""What the valuation app adds to listing pages and cards (see core.panels)."""

from __future__ import annotations

import logging
from decimal import Decimal

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext as _

from marketplace.models import Listing
from valuation.charts import depreciation_chart
from valuation.selectors import latest_listing_valuations
from valuation.services import MachineValuation, valuation_for_listing

logger = logging.getLogger(__name__)
BADGE_THRESHOLD = Decimal("0.05")


def render_valuation(request: HttpRequest | None, valuation: MachineValuation | None) -> str:
    """The valuation panel for any result (listing page, value-my-machine page)."""
    context = {"valuation": valuation}
    if valuation is not None:
        context["chart"] = depreciation_chart(valuation.forecast)
        ratio = valuation.asking_vs_market
        if ratio is not None:
            percent = abs(round(ratio * 100))
            if ratio < 0:
                context["asking_text"] = _("比市场价低 %(percent)s%%") % {"percent": percent}
            elif ratio > 0:
                context["asking_text"] = _("比市场价高 %(percent)s%%") % {"percent": percent}
            else:
                context["asking_text"] = _("与市场价持平")
    return render_to_string("valuation/includes/panel.html", context, request=request)


def listing_panel(request: HttpRequest, listing: Listing) -> str:
    """HTML for the listing detail page: value, range, comparables, chart, factors, version."""
    try:
        valuation = valuation_for_listing(listing)
    except Exception:  # a valuation failure must not take the listing page down
        logger.exception("valuation failed for listing %s", listing.pk)
        valuation = None
    return render_valuation(request, valuation)


def card_extras(request: HttpRequest, listings: list[Listing]) -> dict[int, str]:
    """A "低于估值 8%" badge for listings priced clearly under their valuation (one batch)."""
    priced = [item for item in listings if item.asking_price]
    if not priced:
        return {}
    try:
        values = latest_listing_valuations([item.pk for item in priced])
    except Exception:
        logger.exception("valuation badges failed")
        return {}
    badges = {}
    for listing in priced:
        value = values.get(listing.pk)
        if not value:
            continue
        ratio = listing.asking_price / value - 1
        if ratio <= -BADGE_THRESHOLD:
            text = _("低于估值 %(percent)s%%") % {"percent": abs(round(ratio * 100))}
            badges[listing.pk] = format_html('<span class="badge ok">{}</span>', text)
    return badges
