"""The published rules as the editorial pages show them, read from the objects the services
apply: fees, bidding, deposits, soft close, payment and storage (``trading.rules``), listing
rules (``marketplace.rules`` and the listing lifetime), lease rules (``leasing.rules``),
the condition grades (``certification.grading``) and the procurement rules per method
(``procurement.rules``).

A rules block in a page (``cms.blocks.RulesBlock``) names one section; its template renders the
figures from :func:`section_context`, so the guide cannot state a figure the platform does not
apply.
"""

from django.utils.translation import gettext_lazy as _

from certification.grading import grade_rules
from leasing import rules as leasing_rules
from marketplace.models import Category
from marketplace.rules import current_marketplace_rules
from marketplace.services.listings import LISTING_LIFETIME
from procurement.rules import rules_table as procurement_rules_table
from trading.rules import current_rules, published_figures

SECTIONS = (
    ("fees", _("买家佣金")),
    ("auction", _("限时拍卖")),
    ("payment", _("付款与违约")),
    ("listing", _("挂牌规则")),
    ("leasing", _("融资租赁")),
    ("grades", _("成色等级")),
    ("procurement", _("集成采购")),
)
SECTION_KEYS = tuple(key for key, _label in SECTIONS)


def _trading() -> dict:
    return published_figures(current_rules())


def _listing() -> dict:
    market = current_marketplace_rules()
    names = {c.slug: c.display_name for c in Category.objects.filter(parent__isnull=True)}
    return {
        "market_rules": market,
        "listing_days": LISTING_LIFETIME.days,
        "annual_hour_rows": [
            (names.get(slug, slug), hours) for slug, hours in market.category_rows()
        ],
    }


def _leasing() -> dict:
    return {
        "lease_document_rows": leasing_rules.required_document_rows(),
        "registry_digits": leasing_rules.REGISTRY_REFERENCE_DIGITS,
    }


def _grades() -> dict:
    return {"grade_rows": grade_rules()}


def _procurement() -> dict:
    return {"procurement_rows": procurement_rules_table()}


_BUILDERS = {
    "fees": _trading,
    "auction": _trading,
    "payment": _trading,
    "listing": _listing,
    "leasing": _leasing,
    "grades": _grades,
    "procurement": _procurement,
}


def section_context(section: str) -> dict:
    """The figures one section renders; an unknown section renders nothing."""
    builder = _BUILDERS.get(section)
    return {"section": section, **builder()} if builder else {"section": ""}
