"""Report rules: the tradeable check and accident screen, the rolled-back meter rule and the
certificate's link to its inspection report."""

import datetime as dt
import io

import pytest

from certification.inspection_templates import (
    template_for_machine,
    template_of,
)
from certification.models import CertificationEvent, InspectionReport, RemanCertificate
from certification.services import certificates, inspections
from certification.tests.factories import (
    draft_certificate,
    filled_report,
    issued_certificate,
    machine_for,
    submitted_report,
)
from certification.tests.html import edit_url, form_errors
from certification.verification import verify_path
from core.errors import DomainError
from marketplace.models import HourMeterReading
from marketplace.services import hour_reading_record

pytestmark = [pytest.mark.django_db, pytest.mark.urls("certification.tests.urls")]


# --- tradeable check and accident screen ----------------------------------------------------


def test_a_failed_tradeable_check_blocks_the_report(dealer_org, certifier_org, inspector):
    machine = machine_for(dealer_org)
    template = template_for_machine(machine)
    answers = {c.key: "yes" for c in template.tradeable_checks} | {"no_encumbrance": "no"}
    report = filled_report(
        machine=machine, certifier=certifier_org, inspector=inspector, tradeable_checks=answers
    )
    with pytest.raises(DomainError) as exc:
        inspections.inspection_report_submit(report=report, actor=inspector)
    assert exc.value.fields == {
        "tradeable_no_encumbrance": ["未通过可交易性核查，不能出具检测报告。"]
    }
    report.refresh_from_db()
    assert (report.status, report.grade, HourMeterReading.objects.count()) == ("draft", "", 0)


def test_unknown_answers_are_refused(dealer_org, certifier_org, inspector):
    report = inspections.inspection_report_start(
        machine=machine_for(dealer_org), certifier=certifier_org, actor=inspector
    )
    with pytest.raises(DomainError) as exc:
        inspections.inspection_report_update(
            report=report,
            actor=inspector,
            data=inspections.ReportInput(
                inspected_on=dt.date.today(),
                tradeable_checks={"nameplate": "maybe", "invented": "yes"},
                accident_checks={"boom_collapsed": True},  # a crane question
            ),
        )
    assert set(exc.value.fields) == {
        "tradeable_nameplate",
        "tradeable_invented",
        "accident_boom_collapsed",
    }


def test_a_template_accident_question_answered_yes_grades_e(dealer_org, certifier_org, inspector):
    machine = machine_for(dealer_org)
    report = submitted_report(
        machine=machine,
        certifier=certifier_org,
        inspector=inspector,
        accident_checks={"boom_arm_cracked": True},
    )
    assert (report.grade, report.grade_reasons) == ("E", ["major_accident"])
    assert report.accident_checks["boom_arm_cracked"] is True
    assert report.accident_checks["rollover"] is False


# --- rolled-back hour meter -----------------------------------------------------------------


def _rolled_back_report(dealer_org, certifier_org, inspector, **overrides):
    machine = machine_for(dealer_org, year_of_manufacture=dt.date.today().year - 5)
    hour_reading_record(
        machine=machine,
        hours=4000,
        source="seller",
        actor=None,
        read_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=200),
    )
    report = filled_report(
        machine=machine, certifier=certifier_org, inspector=inspector, hours=2500, **overrides
    )
    return machine, report


def test_rolled_back_meter_blocks_grading_until_explained(dealer_org, certifier_org, inspector):
    machine, report = _rolled_back_report(dealer_org, certifier_org, inspector)
    assert inspections.report_hour_rollback(report).hours == 4000
    before = (machine.condition_grade, machine.is_inspected, machine.current_hours)
    with pytest.raises(DomainError) as exc:
        inspections.inspection_report_submit(report=report, actor=inspector)
    assert list(exc.value.fields) == ["hour_meter_explanation"]
    assert "4000" in exc.value.fields["hour_meter_explanation"][0]
    report.refresh_from_db()
    machine.refresh_from_db()
    assert (report.status, report.grade, report.number) == ("draft", "", None)
    assert (machine.condition_grade, machine.is_inspected, machine.current_hours) == before
    assert HourMeterReading.objects.filter(machine=machine).count() == 1
    assert not CertificationEvent.objects.filter(report=report, action="report_submitted")
    data = {name: getattr(report, name) for name in inspections.ReportInput.__dataclass_fields__}
    data["hour_meter_explanation"] = "  2026 年 3 月更换仪表，原表读数 4,010 小时  "
    inspections.inspection_report_update(
        report=report, actor=inspector, data=inspections.ReportInput(**data)
    )
    submitted = inspections.inspection_report_submit(report=report, actor=inspector)
    assert submitted.status == "submitted"
    assert submitted.hour_meter_explanation == "2026 年 3 月更换仪表，原表读数 4,010 小时"
    machine.refresh_from_db()
    assert machine.hours_anomaly is True  # the marketplace still flags the history


def test_rollback_warning_and_explanation_on_the_pages(
    client, dealer, dealer_org, certifier_org, inspector
):
    machine, report = _rolled_back_report(dealer_org, certifier_org, inspector)
    client.force_login(inspector)
    html = client.get(edit_url(report)).content.decode()
    assert 'id="rollback-warning"' in html and "4000" in html
    form = {
        "inspected_on": report.inspected_on.isoformat(),
        "serial_number_observed": machine.serial_number,
        "hour_meter_reading": "2500",
        "hour_meter_explanation": "更换仪表",
        "cold_start": "passed",
        "functional_test": "passed",
        "submit": "1",
        **{f"tradeable_{c.key}": "yes" for c in template_of(report).tradeable_checks},
    }
    for item in report.items.all():
        form[f"{item.system}-rating"] = "good"
    form["undercarriage-wear_percent"] = "30"
    response = client.post(edit_url(report), form)
    assert response.status_code == 302, form_errors(response.content.decode())
    report.refresh_from_db()
    client.force_login(dealer)
    detail = client.get(f"/certification/reports/{report.pk}/").content.decode()
    assert "小时表读数回退说明" in detail and "更换仪表" in detail
    public = client.get(verify_path(report)).content.decode()
    assert "更换仪表" in public


# --- certificate linked to its inspection report --------------------------------------------


def test_machine_certificate_links_its_inspection_report(
    client, dealer_org, certifier_org, inspector
):
    machine = machine_for(dealer_org)
    report = submitted_report(machine=machine, certifier=certifier_org, inspector=inspector)
    certificate = issued_certificate(
        machine=machine,
        certifier=certifier_org,
        inspector=inspector,
        subject="machine",
        inspection_report=report,
    )
    assert certificate.inspection_report_id == report.pk
    client.force_login(inspector)
    detail = client.get(f"/certification/certificates/{certificate.pk}/").content.decode()
    assert report.number in detail and verify_path(report) in detail
    public = client.get(verify_path(certificate))
    assert public.status_code == 200
    assert report.number in public.content.decode()
    assert verify_path(report) in public.content.decode()
    from pypdf import PdfReader

    pdf = client.get(f"/certification/certificates/{certificate.pk}/pdf/").content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "关联检测报告" in text and report.number in text


def test_a_report_of_another_machine_or_a_draft_cannot_be_linked(
    dealer_org, certifier_org, inspector
):
    machine = machine_for(dealer_org)
    other = submitted_report(
        machine=machine_for(dealer_org), certifier=certifier_org, inspector=inspector
    )
    draft = filled_report(machine=machine, certifier=certifier_org, inspector=inspector)
    for wrong in (other, draft):
        with pytest.raises(DomainError) as exc:
            draft_certificate(
                machine=machine,
                certifier=certifier_org,
                inspector=inspector,
                subject="machine",
                inspection_report=wrong,
            )
        assert list(exc.value.fields) == ["inspection_report"]
    assert RemanCertificate.objects.count() == 0


def test_machine_certificate_without_a_report_is_not_issued(dealer_org, certifier_org, inspector):
    certificate = draft_certificate(
        machine=machine_for(dealer_org),
        certifier=certifier_org,
        inspector=inspector,
        subject="machine",
    )
    with pytest.raises(DomainError) as exc:
        certificates.reman_certificate_issue(certificate=certificate, actor=inspector)
    assert list(exc.value.fields) == ["inspection_report"]
    certificate.refresh_from_db()
    assert (certificate.status, certificate.number) == ("draft", None)


def test_certificate_form_offers_only_the_machines_submitted_reports(
    client, dealer_org, certifier_org, inspector
):
    machine = machine_for(dealer_org)
    report = submitted_report(machine=machine, certifier=certifier_org, inspector=inspector)
    other = submitted_report(
        machine=machine_for(dealer_org), certifier=certifier_org, inspector=inspector
    )
    client.force_login(inspector)
    html = client.get(f"/certification/machines/{machine.pk}/certificate/").content.decode()
    assert report.number in html and other.number not in html
    response = client.post(
        f"/certification/machines/{machine.pk}/certificate/",
        {"subject": "machine", "inspection_report": other.pk},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in form_errors(response.content.decode())
    assert RemanCertificate.objects.count() == 0
    assert InspectionReport.objects.filter(status="submitted").count() == 2
