"""Every public page speaks one language (issue #14).

On a small demo database (the real seeders: catalogue, machines, listings, auctions, lease
products, certificates, the editorial pages and their English translations), the test walks
every public page over HTTP in each language:

* the pages are the URL patterns without parameters that an anonymous visitor can open,
  every live editorial page of either locale, and pages of seeded objects: listings of each
  sale format, auction lots, machine passports and the verification page of every
  published document;
* in English no Chinese character (CJK ideographs, CJK and full-width punctuation) may be
  visible; in Chinese no English word (a run of letters with a lower-case letter: model codes
  and acronyms such as SY215C, GB/T or APR are upper-case) outside a short allow-list of
  names and units.

Names that have no translation are marked in the templates and left out: organization
names, what users typed (descriptions, accessories, maintenance notes, product names, sale
titles) carry ``data-untranslated``; an element in another language carries its ``lang``
(the language switch's "中文" and "EN"). See tests/page_text.py for what counts as visible.
"""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils.module_loading import import_string
from wagtail.models import Page

from accounts.models import User
from cms.demo import seed as seed_cms_pages
from core.documents import document_kinds, verify_path
from leasing.models import LeaseApplication, LeaseContract
from marketplace.demo import seed_marketplace
from marketplace.models import Listing, ListingStatus, SaleFormat
from procurement.models import RequestForQuotation, RfqStatus
from tests.page_text import visible_text
from trading.models import Lot, Order
from valuation.services import valuation_train

pytestmark = pytest.mark.django_db

# Ideographs, CJK symbols and punctuation (、。「」), full-width forms (：（），).
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# An English word: letters with at least one lower-case letter ("Excavator", "kW", "email");
# all-capital runs are model codes, standard and unit abbreviations (SY215C, GB/T, APR).
# Letters glued to digits are codes too (0b0b38ed, 5.9t).
ENGLISH_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]*[a-z][A-Za-z]*(?![A-Za-z0-9])")
# Words a Chinese page may show: the platform's name, product and company names that have no
# Chinese form, and units.
LATIN_ALLOWED_IN_CHINESE = {
    "Ironloop",  # the platform's name
    "IronClad",  # an inspection method's name (certification rules)
    "Cat",  # Caterpillar's inspection method (certification rules)
    "LightGBM",  # the valuation model's members (library names)
    "CatBoost",
    "WebP",  # an image format
    "pdf",  # a file's type as stored (its extension)
    "kW",
    "kg",
    "km",
    "h",
    "t",
    "m",
}

# URL prefixes that are not public pages in a language: admins, the API, files, the
# language switch itself, health checks and webhooks.
SKIPPED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/api/",
    "/documents/",
    "/media/",
    "/i18n/",
    "/healthz",
    "/payments/webhooks/",
    "/_util/",
)
# Public pages the walk must reach (200) in every language, so a broken collection cannot
# pass by checking nothing.
REQUIRED = {
    "/",
    "/listings/",
    "/accounts/login/",
    "/accounts/signup/",
    "/verify/",
    "/trading/rules/",
    "/certification/",
    "/certification/rules/",
    "/leasing/products/",
    "/valuation/value/",
    "/trading-guide/",
    "/valuation-rules/",
    "/certification-rules/",
    "/news/",
}


@pytest.fixture
def demo_site(db, settings, tmp_path):
    """A small demo database from the real seeders (as ``manage.py seed_demo`` builds it),
    with a trained valuation model so listing pages show the valuation panel and its chart."""

    def quiet(message: str) -> None:
        pass

    settings.ML_MODELS_DIR = tmp_path / "models"
    seed_marketplace(machines=30, sales=200, seed=20260101, log=quiet)
    for path in settings.DEMO_SEEDERS:
        import_string(path)(log=quiet)
    seed_cms_pages(log=quiet)
    assert valuation_train().version is not None


def _patterns(patterns: list, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def public_paths() -> set[str]:
    paths = set()
    for route in _patterns(get_resolver().url_patterns):
        path = "/" + route
        if any(mark in route for mark in ("<", "(", "^", "$")) or path.startswith(SKIPPED_PREFIXES):
            continue
        paths.add(path)
    for page in Page.objects.live().filter(depth__gt=1).specific():
        paths.add(page.get_url())
    published = Listing.objects.filter(status=ListingStatus.PUBLISHED).order_by("pk")
    for sale_format in SaleFormat.values:
        for listing in published.filter(sale_format=sale_format)[:2]:
            paths.add(f"/listings/{listing.pk}/")
            paths.add(f"/certification/machines/{listing.machine_id}/passport/")
    for lot in Lot.objects.order_by("pk")[:3]:
        paths.add(f"/trading/lots/{lot.pk}/")
    for kind in document_kinds().values():
        for document in kind.published()[:2]:
            paths.add(verify_path(document))
    published_awards = RequestForQuotation.objects.filter(
        status__in=[RfqStatus.PUBLICITY, RfqStatus.AWARDED]
    )
    for pk in published_awards.values_list("pk", flat=True):
        paths.add(f"/procurement/{pk}/publicity/")
    return paths


EMAIL_ADDRESS = re.compile(r"\S+@\S+")


def offending(text: str, language: str) -> list[str]:
    if language == "en":
        return CJK.findall(text)
    words = ENGLISH_WORD.findall(EMAIL_ADDRESS.sub(" ", text))
    return [word for word in words if word not in LATIN_ALLOWED_IN_CHINESE]


def walk(
    language: str, paths: set[str] | None = None, user=None
) -> tuple[set[str], set[str], list[str]]:
    """(pages reached, pages with a valuation chart, offending texts as "path: text")."""
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    reached, charted, failures = set(), set(), []
    for path in sorted(public_paths() if paths is None else paths):
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        reached.add(path)
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, path
        if 'class="valuation-chart"' in html:
            charted.add(path)
        for text in visible_text(html, language):
            if offending(text, language):
                failures.append(f"{path}: {text[:160]}")
    return reached, charted, failures


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_public_page_is_in_the_chosen_language(demo_site, language):
    reached, charted, failures = walk(language)

    assert any("/listings/" in path for path in charted), "no valuation chart was checked"
    assert reached >= REQUIRED, sorted(REQUIRED - reached)
    assert any(path.startswith("/listings/") and path != "/listings/" for path in reached)
    assert any(path.startswith("/trading/lots/") for path in reached)
    assert any(path.startswith("/verify/") and path != "/verify/" for path in reached)
    assert any(path.endswith("/publicity/") for path in reached), "no procurement publicity"
    assert not failures, "\n".join(failures)


def signed_in_paths() -> set[str]:
    # /notifications/ included: its page is translated; each message is written in its
    # recipient's language when sent (notifications.services) and marked data-untranslated.
    paths = set(public_paths()) | {"/notifications/"}
    paths |= {f"/trading/orders/{pk}/" for pk in Order.objects.values_list("pk", flat=True)}
    paths |= {
        f"/leasing/applications/{pk}/"
        for pk in LeaseApplication.objects.values_list("pk", flat=True)
    }
    paths |= {f"/dealer/listings/{pk}/" for pk in Listing.objects.values_list("pk", flat=True)[:3]}
    paths |= {
        f"/leasing/contracts/{pk}/" for pk in LeaseContract.objects.values_list("pk", flat=True)
    }
    paths |= {
        f"/procurement/{pk}/" for pk in RequestForQuotation.objects.values_list("pk", flat=True)
    }
    return paths


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_signed_in_pages_of_buyer_dealer_and_lessor_are_in_the_chosen_language(demo_site, language):
    paths = signed_in_paths()
    failures, reached = [], set()
    for username in ("buyer", "dealer", "lessor"):
        user = User.objects.get(username=username)
        pages, _charted, found = walk(language, paths, user)
        reached |= pages
        failures += [f"{username} {failure}" for failure in found]

    assert {"/dashboard/", "/trading/orders/", "/leasing/applications/", "/procurement/"} <= reached
    assert any(path.startswith("/procurement/") and path[13:-1].isdigit() for path in reached)
    assert any(
        path.startswith("/trading/orders/") and path != "/trading/orders/" for path in reached
    )
    assert not failures, "\n".join(failures)


def test_the_checks_see_untranslated_text():
    """The detectors themselves: Chinese in English, English in Chinese, marks respected."""
    html = (
        '<html lang="en"><title>Ironloop</title><p>Seller：<b data-untranslated>长沙某公司</b></p>'
        '<button lang="zh-hans">中文</button><img alt="挖掘机">'
        '<span title="湘江租赁" data-untranslated="title">Lease</span></html>'
    )
    texts = visible_text(html, "en")
    assert [t for t in texts if offending(t, "en")] == ["Seller：", "挖掘机"]
    chinese = '<html lang="zh-hans"><p>三一 SY215C 挖掘机 Excavator 120 kW</p><a lang="en">EN</a>'
    assert [w for t in visible_text(chinese, "zh-hans") for w in offending(t, "zh-hans")] == [
        "Excavator"
    ]
