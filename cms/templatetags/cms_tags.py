"""Editorial links for the navigation and footer, and the language switch's target on CMS
pages (the same page's translation)."""

from django import template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models import Locale, Page

register = template.Library()

# The editorial pages the navigation and footer link to: their slugs under the home page are
# their stable addresses (the seeder creates them, each translation keeps the slug, and
# cms/tests checks every link resolves to a live page in both languages). Labels come from
# the catalogue, so the links cost no query on any page (several pages have exact query
# counts under test).
EDITORIAL_LINKS = (
    ("trading-guide", _("交易指南")),
    ("valuation-rules", _("残值评估规则")),
    ("certification-rules", _("检测与再制造认证规范")),
    ("news", pgettext_lazy("导航", "新闻")),
)


@register.simple_tag
def editorial_links() -> dict[str, tuple[str, str, str]]:
    """{key: (label, url, slug)} in EDITORIAL_LINKS order; the key is the slug with
    underscores (``trading_guide``) for use in templates."""
    return {
        slug.replace("-", "_"): (str(label), reverse("wagtail_serve", args=[f"{slug}/"]), slug)
        for slug, label in EDITORIAL_LINKS
    }


@register.simple_tag(takes_context=True)
def translated_url(context: dict, language_code: str) -> str:
    """The URL of the current CMS page's translation in ``language_code`` (or of the page
    itself when it has none); empty outside CMS pages."""
    page = context.get("page")
    if not isinstance(page, Page):
        return ""
    try:
        locale = Locale.objects.get_for_language(language_code)
    except Locale.DoesNotExist:
        return ""
    target = page.get_translation_or_none(locale)
    if target is None or not target.live:
        target = page
    with translation.override(language_code):
        return target.get_url(context.get("request")) or ""
