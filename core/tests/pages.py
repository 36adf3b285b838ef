"""Test helper: the Wagtail home page.

A data migration creates it, but transactional tests (browser tests) flush the database,
and with --reuse-db that flush outlives the run; tests that render "/" call this first.
"""


def ensure_home_page():
    from wagtail.models import Locale, Page, Site

    from cms.models import HomePage

    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        return site.root_page
    locale = Locale.objects.first() or Locale.objects.create(language_code="zh-hans")
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root", locale=locale)
    home = root.add_child(instance=HomePage(title="Ironloop", slug="home", locale=locale))
    Site.objects.create(
        hostname="localhost", root_page=home, is_default_site=True, site_name="Ironloop"
    )
    return home
