"""Editorial links for the navigation and footer, and the language switch's target on CMS
pages (the same page's translation)."""

from django import template
from django.http import HttpRequest
from django.utils import translation
from wagtail.models import Locale, Page, Site

register = template.Library()

# The editorial pages the navigation and footer link to, by slug under the home page.
EDITORIAL_SLUGS = ("trading-guide", "valuation-rules", "certification-rules", "news")


@register.simple_tag(takes_context=True)
def editorial_links(context: dict) -> dict[str, tuple[str, str]]:
    """{key: (title, url, slug)} of the live editorial pages in the active language, in
    EDITORIAL_SLUGS order; the key is the slug with underscores (``trading_guide``)."""
    request: HttpRequest | None = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return {}
    home = site.root_page.localized
    pages = {
        page.slug: page
        for page in home.get_children().live().filter(slug__in=EDITORIAL_SLUGS).specific()
    }
    return {
        slug.replace("-", "_"): (pages[slug].title, pages[slug].get_url(request), slug)
        for slug in EDITORIAL_SLUGS
        if slug in pages
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
