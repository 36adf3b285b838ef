"""The certifier's journey through the UI, in a real browser: accept a request, fill the
excavator worksheet, save a draft (the date is kept), upload the required photos, issue the
report; then a remanufacturing certificate resting on it, and its public verification page.

Set ``CERTIFIER_SCREENSHOTS=<dir>`` to keep screenshots of the inspection form (desktop and
phone widths).
"""

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image

from certification.inspection_templates import TEMPLATES
from certification.models import InspectionReport, RemanCertificate, RemanStage
from certification.services import inspections
from marketplace.tests.factories import CategoryFactory, EquipmentModelFactory, MachineFactory
from tests.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("certification.tests.urls"),
]


def _png(path: Path) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (217, 72, 15)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def _screenshot(page, name: str) -> None:
    target = os.environ.get("CERTIFIER_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / name), full_page=True)


def test_certifier_inspects_issues_and_certifies_through_the_ui(
    page, new_page, live_server, tmp_path, dealer, dealer_org, certifier_org, inspector
):
    excavators = CategoryFactory(slug="excavator", name="挖掘机", name_en="Excavators")
    model = EquipmentModelFactory(name="SY215C", category=excavators)
    machine = MachineFactory(
        owner=dealer_org, equipment_model=model, year_of_manufacture=dt.date.today().year - 4
    )
    request = inspections.inspection_request_create(
        machine=machine, requester=dealer_org, certifier=certifier_org, actor=dealer
    )
    inspected_on = dt.date.today() - dt.timedelta(days=2)

    login(page, live_server, "inspector")
    page.goto(f"{live_server.url}/certification/")
    page.click(f"form[action='/certification/requests/{request.pk}/accept/'] button")
    page.wait_for_load_state()
    report = InspectionReport.objects.get(request=request)
    assert page.url.endswith(f"/certification/reports/{report.pk}/edit/")
    assert "挖掘机" in page.inner_text("main")  # the template by its label, not its key
    assert "excavator_boom" not in page.inner_text("main")

    # --- fill the worksheet and save a draft ---------------------------------------------
    page.fill("#id_inspected_on", inspected_on.isoformat())
    page.fill("#id_location", "长沙市雨花区检测场")
    page.fill("#id_plate_number", "湘A-D0001")
    page.fill("#id_serial_number_observed", machine.serial_number)
    page.fill("#id_hour_meter_reading", "4200")
    template = TEMPLATES["excavator"]
    for check in template.tradeable_checks:
        page.select_option(f"#id_tradeable_{check.key}", "yes")
    for system in template.systems:
        page.select_option(f"#id_{system}-rating", "good")
    page.select_option("#id_hydraulics-rating", "fair")
    page.check("#system-hydraulics input[value='leaks']")
    page.fill("#id_hydraulics-comment", "主阀轻微渗油")
    page.fill("#id_undercarriage-wear_percent", "35")
    page.select_option("#id_cold_start", "passed")
    page.select_option("#id_functional_test", "passed")
    page.fill("#id_summary", "整机状况良好，液压主阀轻微渗油。")
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert "草稿已保存" in page.inner_text(".messages")
    assert page.input_value("#id_inspected_on") == inspected_on.isoformat()
    assert page.input_value("#id_hour_meter_reading") == "4200"
    assert page.is_checked("#system-hydraulics input[value='leaks']")
    missing = page.inner_text("#missing")
    assert "照片：整机左前方 45°" in missing and "photo_" not in missing

    page.set_viewport_size({"width": 1366, "height": 900})
    _screenshot(page, "inspection-form-1366.png")
    page.set_viewport_size({"width": 390, "height": 844})
    _screenshot(page, "inspection-form-390.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scroll
    page.set_viewport_size({"width": 1280, "height": 900})

    # a submit before the photos are in says what is missing and keeps the date
    page.click("button[name=submit]")
    page.wait_for_load_state()
    assert "检测报告尚未填写完整" in page.inner_text("#form-errors")
    assert page.input_value("#id_inspected_on") == inspected_on.isoformat()

    # --- photos ---------------------------------------------------------------------------
    photo = _png(tmp_path / "photo.png")
    for angle in ("hour_meter", *template.photo_required):
        page.select_option("#id_angle", angle)
        page.set_input_files("#id_image", str(photo))
        page.click("#photo-form button[type=submit]")
        page.wait_for_load_state()
        assert "照片已上传" in page.inner_text(".messages")
    assert page.locator(".photo-status .todo").count() == 0

    # --- submit: the report is issued ----------------------------------------------------
    page.click("button[name=submit]")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert (report.status, report.grade, report.inspected_on) == ("submitted", "B", inspected_on)
    assert report.number in page.inner_text("h1")
    assert report.inspector_name == str(inspector)
    assert "管路、接头或阀组渗漏" in page.inner_text("main")  # the defect by its label

    # --- a remanufacturing certificate resting on the report ------------------------------
    page.click("text=据此报告签发再制造证书")
    page.wait_for_load_state()
    assert page.input_value("#id_inspection_report") == str(report.pk)
    page.fill("#id_core_identification", "整机旧件，出厂编号与检测报告一致")
    page.fill("#id_remanufacturer", "湖南再制造有限公司")
    page.check("#id_performance_declaration")
    page.fill("#id_test_summary", "整机性能试验达到新机标准")
    page.fill("#id_label_text", "再制造 REMANUFACTURED")
    page.fill("#id_warranty_months", "12")
    page.fill("#id_warranty_terms", "12 个月或 2000 小时")
    page.fill("#id_valid_from", dt.date.today().isoformat())
    page.fill("#id_valid_until", (dt.date.today() + dt.timedelta(days=730)).isoformat())
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    certificate = RemanCertificate.objects.get()
    assert page.url.endswith(f"/certification/certificates/{certificate.pk}/edit/")
    assert page.input_value("#id_valid_from") == dt.date.today().isoformat()
    for stage in RemanStage.values:
        page.select_option("#id_stage", stage)
        page.fill("#id_performed_on", dt.date.today().isoformat())
        page.check("#id_passed")
        page.fill("#id_result", "合格")
        page.click("text=记录工序")
        page.wait_for_load_state()
    for name, disposition, mass in (("车架", "reused", "3000"), ("液压泵", "replaced", "120")):
        page.fill("#id_name", name)
        page.select_option("#id_disposition", disposition)
        page.fill("#id_quantity", "1")
        page.fill("#id_unit_mass_kg", mass)
        page.click("text=添加零件")
        page.wait_for_load_state()
    page.click("text=签发证书（签发后不可修改）")
    page.wait_for_load_state()
    certificate.refresh_from_db()
    assert (certificate.status, certificate.inspection_report_id) == ("issued", report.pk)
    assert report.number in page.inner_text(".linked-report")

    # --- the public verification page shows the report it rests on -----------------------
    visitor = new_page()
    href = page.get_attribute(f"a[href^='/verify/{certificate.number}/']", "href")
    visitor.goto(f"{live_server.url}{href}")
    assert visitor.locator(".verify-banner.ok").is_visible()
    linked = visitor.inner_text(".linked-report")
    assert report.number in linked
    visitor.click(".linked-report a")
    visitor.wait_for_load_state()
    assert re.search(rf"{report.number}$", visitor.inner_text("h1"))
    assert str(inspector) in visitor.inner_text("main")
