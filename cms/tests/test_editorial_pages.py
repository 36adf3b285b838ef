"""The editorial pages: English translations, live rules tables, the language switch on a
CMS page, the guide links in the navigation and footer, and the admins in English."""

import re
from dataclasses import astuple
from decimal import Decimal
from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from wagtail.models import Locale

from certification.grading import grade_rules
from cms.demo import seed
from cms.models import HomePage, NewsPage, StandardPage

pytestmark = pytest.mark.django_db


def quiet(message: str) -> None:
    pass


@pytest.fixture
def pages(db):
    seed(log=quiet)


def client_in(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_seeded_page_has_an_english_translation_with_the_same_slug(pages):
    english = Locale.objects.get(language_code="en")
    chinese = [
        *StandardPage.objects.exclude(locale=english),
        *NewsPage.objects.exclude(locale=english),
    ]
    for page in chinese:
        translation = page.get_translation(english)
        assert translation.live
        assert translation.slug == page.slug
        assert translation.title != page.title
    home = HomePage.objects.get(locale__language_code="zh-hans")
    assert home.get_translation(english).hero_title.startswith("Hunan's")
    assert StandardPage.objects.filter(locale=english).count() == 3
    assert NewsPage.objects.filter(locale=english).count() == 3


def test_a_second_seed_keeps_an_editors_translation(pages):
    english = Locale.objects.get(language_code="en")
    guide = StandardPage.objects.get(slug="trading-guide", locale=english)
    guide.title = "How to trade on Ironloop"
    guide.save_revision().publish()

    assert seed(log=quiet) == 0
    assert StandardPage.objects.get(pk=guide.pk).title == "How to trade on Ironloop"


def test_the_same_url_serves_the_page_in_the_chosen_language(pages):
    chinese = client_in("zh-hans").get("/trading-guide/").content.decode()
    english = client_in("en").get("/trading-guide/").content.decode()

    assert "<h1>交易指南</h1>" in chinese
    assert "<h1>Trading guide</h1>" in english
    assert "Buyers: from search to transfer of ownership" in english
    assert "买家：从找车到过户" not in english


def test_switching_language_on_a_cms_page_lands_on_its_translation(pages):
    english = Locale.objects.get(language_code="en")
    translation = StandardPage.objects.get(slug="valuation-rules", locale=english)
    translation.slug = "valuation-method"  # an editor gave the translation its own slug
    translation.save_revision().publish()
    client = client_in("zh-hans")
    html = client.get("/valuation-rules/").content.decode()

    action = re.search(r'value="en"[^>]*formaction="([^"]+)"', html).group(1)
    response = client.post(action.replace("&amp;", "&"), {"language": "en"})

    assert response.status_code == 302
    assert response["Location"] == "/valuation-method/"
    page = client.get(response["Location"]).content.decode()
    assert "<h1>Residual value assessment rules</h1>" in page
    back = re.search(r'value="zh-hans"[^>]*formaction="([^"]+)"', page).group(1)
    assert client.post(back, {"language": "zh-hans"})["Location"] == "/valuation-rules/"


def test_the_guide_and_specifications_are_linked_from_navigation_and_footer(pages):
    for language, guide, spec in (
        ("zh-hans", "交易指南", "检测与再制造认证规范"),
        ("en", "Trading guide", "Inspection and remanufacturing certification specification"),
    ):
        html = client_in(language).get("/listings/").content.decode()
        assert f'href="/trading-guide/" data-nav="trading-guide">{guide}</a>' in html
        assert f'href="/trading-guide/" data-footer="trading-guide">{guide}</a>' in html
        assert f'href="/certification-rules/" data-footer="certification-rules">{spec}</a>' in html
        assert 'href="/valuation-rules/" data-footer="valuation-rules"' in html
        assert 'href="/news/" data-footer="news"' in html


def test_every_navigation_and_footer_link_opens_its_live_page(pages):
    for language in ("zh-hans", "en"):
        client = client_in(language)
        html = client.get("/listings/").content.decode()
        links = re.findall(r'<a href="([^"]+)" data-footer="([a-z-]+)">([^<]+)</a>', html)
        editorial = [
            (href, label)
            for href, key, label in links
            if key in {"trading-guide", "valuation-rules", "certification-rules", "news"}
        ]
        assert len(editorial) == 4, language
        for href, label in editorial:
            page = client.get(href)
            assert page.status_code == 200, href
            assert f"<h1>{label}</h1>" in page.content.decode(), (language, href)


def test_rules_sections_show_the_figures_the_services_apply(pages, settings):
    settings.TRADING_RULES = {
        "soft_close_minutes": 9,
        "payment_days": 4,
        "storage_fee_per_day": Decimal("350.00"),
        "deposit_share": Decimal("0.30"),
    }
    chinese = text_of(client_in("zh-hans").get("/trading-guide/").content.decode())
    english = text_of(client_in("en").get("/trading-guide/").content.decode())

    assert "结束前 9 分钟内有人出价，结束时间延长至出价后 9 分钟" in chinese
    assert "成交后 4 天内付清应付金额" in chinese
    assert "每天收取保管费 ¥350.00" in chinese
    assert "竞价上限的 30%" in chinese
    assert "结束前最后 N 分钟" not in chinese  # the old hard-coded text is gone
    assert "within 9 minutes" in english or "last 9 minutes" in english
    assert "350.00" in english and "30%" in english


def test_the_specification_grades_are_the_grading_codes(pages):
    for language in ("zh-hans", "en"):
        client = client_in(language)
        html = client.get("/certification-rules/").content.decode()
        rows = re.findall(r'<tr data-grade="([A-E])">(.*?)</tr>', html, flags=re.S)
        with translation.override(language):
            expected = {rule.grade: [str(v) for v in astuple(rule)[1:]] for rule in grade_rules()}
        assert [grade for grade, _row in rows] == ["A", "B", "C", "D", "E"]
        for grade, row in rows:
            cells = [unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", row)[1:]]
            assert cells == expected[grade], grade
    chinese = client_in("zh-hans").get("/certification-rules/").content.decode()
    assert "D 级（需结构维修）" not in chinese  # the old definition that disagreed with the code


def test_home_page_shows_its_english_translation(pages):
    html = client_in("en").get("/").content.decode()
    assert "Hunan&#x27;s construction machinery aftermarket, in one place" in html
    assert "Ironloop demo platform launches" in html  # news of the English locale
    assert "铁环平台演示版上线" not in html


def test_wagtail_admin_follows_the_staff_members_choice(pages, staff):
    staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    assert '<html lang="zh-hans"' in client.get("/admin/").content.decode()

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en"' in client.get("/admin/").content.decode()

    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"
    profile.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert '<html lang="en"' in client.get("/admin/").content.decode()


def test_django_admin_in_english(staff):
    client = client_in("en")
    client.force_login(staff)
    staff.is_superuser = True
    staff.save()
    assert "Site administration" in client.get("/django-admin/").content.decode()


def test_editors_open_both_translations_and_the_localize_views(pages, staff):
    staff.is_superuser = True
    staff.save()
    client = client_in("en")
    client.force_login(staff)
    for page in StandardPage.objects.all():
        html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
        assert "Rules table (live figures)" in html, page.locale.language_code
    chinese = StandardPage.objects.filter(locale__language_code="zh-hans").first()
    assert client.get(f"/admin/localize/submit/page/{chinese.pk}/").status_code == 200
    assert "English" in client.get("/admin/locales/").content.decode()


def test_a_page_seeded_with_hard_coded_rules_gets_the_live_tables_unless_edited(pages, staff):
    guide = StandardPage.objects.get(slug="trading-guide", locale__language_code="zh-hans")
    spec = StandardPage.objects.get(slug="certification-rules", locale__language_code="zh-hans")
    old_body = [("text", "<h2>成色等级</h2><p>D 级（需结构维修）：存在可修复的结构问题。</p>")]
    for page in (guide, spec):
        page.body = old_body  # as seeded before the rules blocks, and never edited
        page.save()
    edited = spec.save_revision(user=staff)  # an editor's revision: keep theirs
    edited.publish()

    seed(log=quiet)

    guide.refresh_from_db()
    spec.refresh_from_db()
    assert {block.block_type for block in guide.body} == {"text", "rules"}
    assert [block.block_type for block in spec.body] == ["text"]


def test_the_guide_shows_the_procurement_rules_the_services_apply(pages, settings):
    settings.PROCUREMENT_RULES = {"minimum_quotes": {"inquiry": 4}, "publicity_days": 5}
    for language in ("zh-hans", "en"):
        html = client_in(language).get("/trading-guide/").content.decode()
        rows = dict(re.findall(r'<tr data-method="([a-z_]+)">(.*?)</tr>', html, flags=re.S))
        assert sorted(rows) == ["inquiry", "invited_tender", "negotiation", "open_tender"]
        inquiry = [text_of(cell) for cell in re.findall(r"<td>(.*?)</td>", rows["inquiry"])]
        assert inquiry[1] == "4", language
        assert inquiry[4] == "5", language
    english = text_of(client_in("en").get("/trading-guide/").content.decode())
    assert "(at least 20 days under the tendering law)" in english
