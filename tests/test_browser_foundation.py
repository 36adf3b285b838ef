"""A trusted dealer lists a machine with a photo and publishes it; a visitor finds it.

Runs the real server (pytest-django's live_server on a loopback port) and Debian's Chromium.
"""

import re

import pytest
from PIL import Image

from core.tests.pages import ensure_home_page
from marketplace.models import REQUIRED_PHOTO_KINDS, Listing
from marketplace.tests.factories import BrandFactory, CategoryFactory, EquipmentModelFactory
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def home_page(db):
    return ensure_home_page()


@pytest.fixture
def catalogue(db):
    excavators = CategoryFactory(slug="excavator", name="挖掘机", name_en="Excavators")
    medium = CategoryFactory(
        slug="excavator-medium", name="中型挖掘机", name_en="Medium excavators", parent=excavators
    )
    sany = BrandFactory()
    xcmg = BrandFactory(slug="xcmg", name="徐工", name_en="XCMG")
    EquipmentModelFactory(brand=xcmg, category=medium, name="XE215DA")
    return EquipmentModelFactory(brand=sany, category=medium)


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "front.jpg"
    Image.new("RGB", (320, 240), (217, 72, 15)).save(path, format="JPEG")
    return path


def test_dealer_publishes_and_visitor_finds(
    live_server, page, new_page, dealer, dealer_org, catalogue, photo_file
):
    # Only a seller staff marked trusted publishes without moderation (marketplace.services).
    dealer_org.is_trusted_seller = True
    dealer_org.save(update_fields=["is_trusted_seller"])
    login(page, live_server, "dealer")
    page.goto(f"{live_server.url}/dealer/listings/")
    page.get_by_role("link", name="发布设备").first.click()

    page.select_option("#id_equipment_model", str(catalogue.pk))
    page.fill("#id_serial_number", "SY215C-BROWSER-1")
    page.fill("#id_year_of_manufacture", "2021")
    page.fill("#id_hours", "3650")
    page.select_option("#id_emission_stage", "china4")
    page.select_option("#id_city", "湘潭市")
    page.fill("#id_district", "岳塘区")
    page.fill("#id_title", "2021年 三一 SY215C 浏览器测试车")
    page.select_option("#id_sale_format", "fixed")
    page.fill("#id_asking_price", "456000")
    page.fill("#id_description", "一手车，保养记录齐全。")
    page.get_by_role("button", name="创建挂牌草稿").click()

    page.wait_for_url(re.compile(r"/dealer/listings/\d+/photos/$"))
    # The required photo set (marketplace.photo_set); the upload rows start on those kinds.
    assert page.locator("#photo-checklist li.missing").count() == len(REQUIRED_PHOTO_KINDS)
    for index, kind in enumerate(REQUIRED_PHOTO_KINDS):
        assert page.locator(f"#id_photos-{index}-kind").input_value() == kind
        page.set_input_files(f"#id_photos-{index}-image", str(photo_file))
    page.get_by_role("button", name="上传", exact=True).click()

    page.wait_for_url(re.compile(r"/dealer/listings/\d+/$"))
    assert page.locator(".photo-grid img").count() == len(REQUIRED_PHOTO_KINDS)
    assert page.locator("#photo-checklist li.missing").count() == 0
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_load_state()
    assert "挂牌已提交审核。" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="发布", exact=True).click()
    page.wait_for_load_state()
    assert "挂牌已发布。" in page.locator(".messages").inner_text()
    assert page.locator("h1 .status").inner_text() == "在售"

    listing = Listing.objects.get(title="2021年 三一 SY215C 浏览器测试车")
    assert (listing.status, listing.photos.count(), listing.machine.city) == (
        "published",
        len(REQUIRED_PHOTO_KINDS),
        "湘潭市",
    )

    visitor = new_page()
    visitor.goto(f"{live_server.url}/listings/")
    visitor.locator("[data-facet=brand] a", has_text="三一").click()
    visitor.wait_for_url(re.compile(r"brand=sany"))
    visitor.locator("[data-facet=city] a", has_text="湘潭市").click()
    visitor.wait_for_url(re.compile(r"city="))
    visitor.fill("input[name=hours_max]", "5000")
    visitor.get_by_role("button", name="搜索", exact=True).click()
    visitor.wait_for_url(re.compile(r"hours_max=5000"))
    cards = visitor.locator(".listing-card")
    assert cards.count() == 1
    assert cards.first.locator("h3").inner_text() == "2021年 三一 SY215C 浏览器测试车"
    cards.first.locator("h3 a").click()

    visitor.wait_for_url(f"{live_server.url}/listings/{listing.pk}/")
    assert visitor.locator("h1").inner_text().startswith("2021年 三一 SY215C 浏览器测试车")
    image = visitor.locator(".gallery img").first
    assert image.evaluate("img => img.complete && img.naturalWidth") == 320
    specs = visitor.locator("table.specs").inner_text()
    assert "SY215C-BROWSER-1" in specs
    assert "国四" in specs
    assert "3650\t卖家申报" in visitor.locator("table.hours-history").inner_text()
    assert "长沙测试经销商" in visitor.locator("aside").inner_text()


def test_english_switch(live_server, page, catalogue, home_page):
    page.goto(f"{live_server.url}/listings/")
    assert page.locator("nav.main-nav").get_by_text("找设备").count() == 1
    page.locator(".lang-switch button", has_text="EN").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/listings/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Find equipment"
    assert page.get_by_role("button", name="Search", exact=True).count() == 1
    page.goto(f"{live_server.url}/")
    assert "Featured equipment" in page.locator("main").inner_text()
    page.locator(".lang-switch button", has_text="中文").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def test_api_docs_render_from_local_assets(live_server, page):
    external = []
    page.on(
        "request",
        lambda request: (
            external.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.goto(f"{live_server.url}/api/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("Ironloop API")
    page.locator(".opblock-summary-path", has_text="/api/listings/").first.wait_for()
    assert external == []
