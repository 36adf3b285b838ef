"""The HTML pages drive the same services: a smoke test of every form."""

import datetime as dt

import pytest

from certification.inspection_templates import template_of
from certification.models import InspectionReport, InspectionRequest, RemanCertificate
from certification.tests.factories import draft_certificate, machine_for, png_upload

pytestmark = [pytest.mark.django_db, pytest.mark.urls("certification.tests.urls")]


def test_request_accept_fill_and_submit_through_pages(
    client, dealer, dealer_org, certifier_org, inspector
):
    machine = machine_for(dealer_org, year_of_manufacture=dt.date.today().year - 5)
    client.force_login(dealer)
    assert client.get(f"/certification/machines/{machine.pk}/request/").status_code == 200
    client.post(f"/certification/machines/{machine.pk}/request/", {"certifier": certifier_org.pk})
    request = InspectionRequest.objects.get()
    client.force_login(inspector)
    index = client.get("/certification/").content.decode()
    assert f"/certification/requests/{request.pk}/accept/" in index
    response = client.post(f"/certification/requests/{request.pk}/accept/")
    report = InspectionReport.objects.get()
    assert response["Location"] == f"/certification/reports/{report.pk}/edit/"
    assert client.get(response["Location"]).status_code == 200
    template = template_of(report)
    for angle in ("hour_meter", *template.photo_required):
        client.post(
            f"/certification/reports/{report.pk}/photos/",
            {"angle": angle, "image": png_upload(), "caption": ""},
        )
    form = {
        "inspected_on": dt.date.today().isoformat(),
        "serial_number_observed": machine.serial_number,
        "hour_meter_reading": "5200",
        "cold_start": "passed",
        "functional_test": "passed",
        "submit": "1",
        **{f"tradeable_{c.key}": "yes" for c in template.tradeable_checks},
    }
    for item in report.items.all():
        form[f"{item.system}-rating"] = "good"
        if item.system == "undercarriage":
            form[f"{item.system}-wear_percent"] = "35"
    response = client.post(f"/certification/reports/{report.pk}/edit/", form)
    report.refresh_from_db()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert (report.status, report.grade, report.hour_meter_reading) == ("submitted", "B", 5200)
    client.force_login(dealer)
    detail = client.get(f"/certification/reports/{report.pk}/").content.decode()
    assert report.number in detail and "/verify/" in detail


def test_submitting_an_incomplete_report_keeps_the_draft_and_shows_what_is_missing(
    client, dealer_org, certifier_org, inspector
):
    machine = machine_for(dealer_org)
    client.force_login(inspector)
    client.post(f"/certification/machines/{machine.pk}/report/")
    report = InspectionReport.objects.get()
    response = client.post(
        f"/certification/reports/{report.pk}/edit/",
        {"inspected_on": dt.date.today().isoformat(), "hour_meter_reading": "10", "submit": "1"},
    )
    assert response.status_code == 400
    assert "检测报告尚未填写完整" in response.content.decode()
    report.refresh_from_db()
    assert (report.status, report.hour_meter_reading) == ("draft", 10)


def test_certificate_pages_add_parts_issue_and_revoke(client, dealer_org, certifier_org, inspector):
    machine = machine_for(dealer_org)
    client.force_login(inspector)
    certificate = draft_certificate(machine=machine, certifier=certifier_org, inspector=inspector)
    url = f"/certification/certificates/{certificate.pk}/edit/"
    assert client.get(url).status_code == 200
    client.post(
        url,
        {
            "action": "part",
            "name": "飞轮",
            "disposition": "reused",
            "quantity": "1",
            "unit_mass_kg": "40",
        },
    )
    assert certificate.parts.count() == 5
    client.post(url, {"action": "issue"})
    certificate.refresh_from_db()
    assert certificate.status == "issued"
    assert str(certificate.remanufacturing_rate) == "93.33"
    detail = client.get(f"/certification/certificates/{certificate.pk}/").content.decode()
    assert certificate.number in detail
    revoke = f"/certification/certificates/{certificate.pk}/revoke/"
    refused = client.post(revoke, {"reason": "测试撤销"}, follow=True)  # box not ticked
    certificate.refresh_from_db()
    assert certificate.status == "issued"
    assert "请先勾选确认框" in refused.content.decode()
    client.post(revoke, {"reason": "测试撤销", "confirm": "yes"})
    certificate.refresh_from_db()
    assert certificate.status == "revoked"


def test_certificate_create_page_refuses_non_inspectors(client, dealer, dealer_org):
    machine = machine_for(dealer_org)
    client.force_login(dealer)
    response = client.post(
        f"/certification/machines/{machine.pk}/certificate/", {"subject": "machine"}
    )
    assert response.status_code == 200
    assert "您没有执行此操作的权限" in response.content.decode()
    assert RemanCertificate.objects.count() == 0


def test_public_pages_render(client):
    assert client.get("/certification/").status_code == 200
    assert client.get("/verify/").status_code == 200
    assert client.get("/verify/?number=IL-RC-2026-000001&code=AAAA").status_code == 200
