"""Inspection templates per machine type and the certifier's forms (dates, messages, labels).

The report rules (tradeable check, accident screen, rolled-back meter, certificate linked to
its report) are in test_report_rules.py."""

import datetime as dt
import re

import pytest
from django.utils import translation

from certification.inspection_templates import (
    TEMPLATES,
    template_for_machine,
)
from certification.services import certificates, inspections
from certification.tests.factories import (
    draft_certificate,
    machine_for,
    png_upload,
)
from certification.tests.html import edit_url, form_errors, input_value
from marketplace.tests.factories import CategoryFactory, EquipmentModelFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("certification.tests.urls")]

WALKAROUND = ("front_left", "rear_right", "nameplate")


def _machine_of(owner, root_slug: str, leaf_slug: str = ""):
    root = CategoryFactory(slug=root_slug, name=root_slug, name_en=root_slug)
    category = root
    if leaf_slug:
        category = CategoryFactory(slug=leaf_slug, name=leaf_slug, name_en=leaf_slug, parent=root)
    model = EquipmentModelFactory(name=f"M-{leaf_slug or root_slug}", category=category)
    return machine_for(owner, equipment_model=model)


# --- templates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("root", "leaf", "key", "systems", "angles", "extra_tradeable", "extra_accidents"),
    [
        (
            "excavator",
            "excavator-medium",
            "excavator",
            ("engine", "hydraulics", "slewing", "undercarriage", "structure", "electrical",
             "cab", "attachments"),
            (*WALKAROUND, "engine", "undercarriage", "excavator_boom", "cab"),
            ["nrmm_registration"],
            ["boom_arm_cracked", "slewing_ring_damaged"],
        ),
        (
            "wheel-loader",
            "",
            "wheel_loader",
            ("engine", "powertrain", "hydraulics", "steering_brakes", "tyres", "structure",
             "electrical", "cab"),
            (*WALKAROUND, "engine", "tyres", "loader_boom", "cab"),
            ["nrmm_registration"],
            ["articulation_cracked"],
        ),
        (
            "crane",
            "crane-truck",
            "crane",
            ("engine", "powertrain", "steering_brakes", "tyres", "hydraulics", "structure",
             "hoist", "slewing", "outriggers", "safety_devices", "electrical", "cab"),
            (*WALKAROUND, "engine", "tyres", "crane_boom", "hoist", "outriggers", "load_moment",
             "cab"),
            ["vehicle_registration", "special_equipment_registration"],
            ["boom_collapsed", "overload_accident"],
        ),
        (
            "crane",
            "crane-crawler",
            "crane_crawler",
            ("engine", "hydraulics", "undercarriage", "structure", "hoist", "slewing",
             "safety_devices", "electrical", "cab"),
            (*WALKAROUND, "engine", "undercarriage", "crane_boom", "hoist", "load_moment", "cab"),
            ["special_equipment_registration"],
            ["boom_collapsed", "overload_accident"],
        ),
        (
            "dozer",
            "dozer-small",
            "dozer",
            ("engine", "powertrain", "hydraulics", "undercarriage", "structure", "electrical",
             "cab"),
            (*WALKAROUND, "engine", "undercarriage", "dozer_blade", "cab"),
            ["nrmm_registration"],
            ["track_frame_cracked"],
        ),
        (
            "roller",
            "",
            "roller",
            ("engine", "powertrain", "hydraulics", "vibration", "tyres", "steering_brakes",
             "structure", "electrical", "cab"),
            (*WALKAROUND, "engine", "drum", "tyres", "cab"),
            ["nrmm_registration"],
            ["drum_frame_cracked"],
        ),
        (
            "grader",
            "",
            "wheeled",
            ("engine", "hydraulics", "tyres", "structure", "electrical", "cab", "attachments"),
            (*WALKAROUND, "engine", "tyres", "structure", "cab"),
            [],
            [],
        ),
        (
            "rotary-drilling-rig",
            "",
            "tracked",
            ("engine", "hydraulics", "undercarriage", "structure", "electrical", "cab",
             "attachments"),
            (*WALKAROUND, "engine", "undercarriage", "structure", "cab"),
            [],
            [],
        ),
    ],
)  # fmt: skip
def test_each_machine_type_gets_its_sections_and_photo_angles(
    root, leaf, key, systems, angles, extra_tradeable, extra_accidents, dealer_org, certifier_org,
    inspector,
):  # fmt: skip
    machine = _machine_of(dealer_org, root, leaf)
    template = template_for_machine(machine)
    assert template.key == key
    assert template.systems == systems
    assert template.photo_required == angles
    common = [
        "nameplate",
        "engine_number",
        "documents",
        "ownership",
        "no_seizure",
        "no_encumbrance",
        "lawful_origin",
        "not_scrap_mandated",
    ]
    assert [c.key for c in template.tradeable_checks] == common + extra_tradeable
    assert [c.key for c in template.accident_checks] == [
        "rollover",
        "main_frame_repaired",
        *extra_accidents,
    ]
    report = inspections.inspection_report_start(
        machine=machine, certifier=certifier_org, actor=inspector
    )
    assert report.template_key == key
    assert tuple(report.items.values_list("system", flat=True)) == systems
    missing = inspections.report_missing_fields(report)
    assert {name for name in missing if name.startswith("photo_")} == {
        f"photo_{angle}" for angle in angles
    }
    assert {name for name in missing if name.startswith("tradeable_")} == {
        f"tradeable_{check}" for check in common + extra_tradeable
    }


def test_every_template_has_labels_in_both_languages_and_a_structure_line():
    for template in TEMPLATES.values():
        assert "structure" in template.systems  # the grading's structural-problem rule
        assert template.running_gear in template.systems
        texts = [
            template.label,
            *(c.label for c in template.tradeable_checks),
            *(c.label for c in template.accident_checks),
            *(entry.label for entry in template.worksheet),
            *(c.label for entry in template.worksheet for c in entry.checkpoints),
            *(angle.label for angle in template.photo_angles),
        ]
        for entry in template.worksheet:
            assert entry.checkpoints, (template.key, entry.system)
        with translation.override("en"):
            english = [str(text) for text in texts]
        with translation.override("zh-hans"):
            chinese = [str(text) for text in texts]
        assert all(re.search(r"[\u4e00-\u9fff]", text) for text in chinese), template.key
        untranslated = [text for text in english if re.search(r"[\u4e00-\u9fff]", text)]
        assert untranslated == [], template.key


# --- forms: dates, labels, messages ---------------------------------------------------------


def test_inspection_date_keeps_its_value_after_saving_a_draft(
    client, dealer_org, certifier_org, inspector
):
    machine = machine_for(dealer_org)
    report = inspections.inspection_report_start(
        machine=machine, certifier=certifier_org, actor=inspector
    )
    client.force_login(inspector)
    day = dt.date.today() - dt.timedelta(days=3)
    html = client.get(edit_url(report)).content.decode()
    assert input_value(html, "inspected_on") == dt.date.today().isoformat()
    response = client.post(
        edit_url(report), {"inspected_on": day.isoformat(), "location": "株洲", "save": "1"}
    )
    assert response.status_code == 302
    html = client.get(edit_url(report)).content.decode()
    assert input_value(html, "inspected_on") == day.isoformat()
    assert 'type="date"' in re.search(r'<input[^>]*name="inspected_on"[^>]*>', html).group(0)
    # the next submit carries the date back and fails only for what is really missing
    response = client.post(
        edit_url(report),
        {"inspected_on": input_value(html, "inspected_on"), "location": "株洲", "submit": "1"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "检测报告尚未填写完整" in body and "检测日期" not in form_errors(body)
    report.refresh_from_db()
    assert (report.inspected_on, report.location, report.status) == (day, "株洲", "draft")


def test_certificate_dates_keep_their_values(client, dealer_org, certifier_org, inspector):
    certificate = draft_certificate(
        machine=machine_for(dealer_org), certifier=certifier_org, inspector=inspector
    )
    client.force_login(inspector)
    html = client.get(f"/certification/certificates/{certificate.pk}/edit/").content.decode()
    assert input_value(html, "valid_from") == "2026-01-01"
    assert input_value(html, "valid_until") == "2029-01-01"
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        html = client.get(f"/certification/certificates/{certificate.pk}/edit/").content.decode()
    assert input_value(html, "valid_until") == "2029-01-01"


def test_incomplete_submit_names_what_is_missing_by_label_never_by_key(
    client, dealer_org, certifier_org, inspector
):
    report = inspections.inspection_report_start(
        machine=machine_for(dealer_org), certifier=certifier_org, actor=inspector
    )
    client.force_login(inspector)
    response = client.post(
        edit_url(report), {"inspected_on": dt.date.today().isoformat(), "submit": "1"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    errors = form_errors(body)
    assert "检测报告尚未填写完整" in errors
    assert "照片：整机左前方 45°：缺少必需的照片。" in errors
    assert "技术状况：工作装置（动臂、斗杆、铲斗）：请为该系统评级。" in errors
    assert "请完成此项核查。" in errors  # at the question itself
    text = re.sub(r"<[^>]+>", "", body)
    assert "可交易性核查：未被司法查封、扣押：请完成此项核查。" in text  # and in the summary
    for key in ("item_engine", "photo_front_left", "tradeable_no_seizure", "hour_meter_photo"):
        assert key not in re.sub(r"<[^>]+>", "", body), key
    report.refresh_from_db()
    assert (report.status, report.number) == ("draft", None)


def test_invalid_worksheet_input_shows_a_message_and_saves_nothing(
    client, dealer_org, certifier_org, inspector
):
    report = inspections.inspection_report_start(
        machine=machine_for(dealer_org), certifier=certifier_org, actor=inspector
    )
    client.force_login(inspector)
    response = client.post(
        edit_url(report),
        {
            "inspected_on": dt.date.today().isoformat(),
            "location": "不应保存",
            "undercarriage-wear_percent": "150",
            "save": "1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "请更正下面标出的错误。" in form_errors(body)
    assert "100" in form_errors(body)  # the field's own reason, at the field
    report.refresh_from_db()
    assert report.location == ""


def test_a_good_rating_with_a_ticked_defect_is_refused_and_saves_nothing(
    client, dealer_org, certifier_org, inspector
):
    report = inspections.inspection_report_start(
        machine=machine_for(dealer_org), certifier=certifier_org, actor=inspector
    )
    client.force_login(inspector)
    response = client.post(
        edit_url(report),
        {
            "inspected_on": dt.date.today().isoformat(),
            "location": "不应保存",
            "engine-rating": "good",
            "engine-defects": ["smoke"],
            "save": "1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "已勾选缺陷的系统不能评为“良好”。" in form_errors(body)
    report.refresh_from_db()
    engine = report.items.get(system="engine")
    assert (report.location, engine.rating, engine.defects) == ("", "", [])
    inspections.inspection_item_set(
        report=report, actor=inspector, system="engine", rating="fair", defects=["smoke"]
    )
    engine.refresh_from_db()
    assert (engine.rating, engine.defects) == ("fair", ["smoke"])


def test_photo_upload_without_a_file_or_with_a_bad_angle_shows_a_message(
    client, dealer_org, certifier_org, inspector
):
    report = inspections.inspection_report_start(
        machine=machine_for(dealer_org), certifier=certifier_org, actor=inspector
    )
    client.force_login(inspector)
    url = f"/certification/reports/{report.pk}/photos/"
    page = client.post(url, {"angle": "front_left"}, follow=True).content.decode()
    assert '<li class="message error">照片：' in page
    page = client.post(url, {"angle": "drum", "image": png_upload()}, follow=True)
    assert '<li class="message error">拍摄角度：' in page.content.decode()
    assert report.photos.count() == 0


def test_failed_certificate_issue_shows_the_reasons_by_label(
    client, dealer_org, certifier_org, inspector
):
    certificate = certificates.reman_certificate_create(
        machine=machine_for(dealer_org),
        certifier=certifier_org,
        actor=inspector,
        data=certificates.RemanCertificateInput(subject="machine"),
    )
    client.force_login(inspector)
    url = f"/certification/certificates/{certificate.pk}/edit/"
    response = client.post(url, {"action": "issue"})
    body = response.content.decode()
    assert response.status_code == 400
    errors = form_errors(body)
    assert "证书尚未填写完整" in errors
    assert "关联检测报告：整机证书须关联该设备已出具的检测报告。" in errors
    assert "工序：旧件评估：" in errors
    assert "stage_assessment" not in re.sub(r"<[^>]+>", "", body)
    certificate.refresh_from_db()
    assert (certificate.status, certificate.number) == ("draft", None)


def test_refusal_of_a_request_action_shows_a_message(client, dealer, dealer_org, certifier_org):
    request = inspections.inspection_request_create(
        machine=machine_for(dealer_org), requester=dealer_org, certifier=certifier_org, actor=dealer
    )
    client.force_login(dealer)  # not an inspector
    page = client.post(f"/certification/requests/{request.pk}/accept/", follow=True)
    assert "message error" in page.content.decode()
    request.refresh_from_db()
    assert request.status == "requested"
