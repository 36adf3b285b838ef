import pytest
from rest_framework.test import APIClient

from certification.tests.factories import draft_certificate, filled_report, machine_for
from certification.verification import verification_code

pytestmark = [pytest.mark.django_db, pytest.mark.urls("certification.tests.urls")]


@pytest.fixture
def api():
    return APIClient()


def test_submit_issue_verify_and_revoke_through_the_api(
    api, dealer_org, certifier_org, inspector, dealer
):
    machine = machine_for(dealer_org)
    report = filled_report(machine=machine, certifier=certifier_org, inspector=inspector)
    api.force_authenticate(dealer)
    refused = api.post(f"/api/certification/reports/{report.pk}/submit/")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    api.force_authenticate(inspector)
    submitted = api.post(f"/api/certification/reports/{report.pk}/submit/").json()
    assert submitted["status"] == "submitted"
    again = api.post(f"/api/certification/reports/{report.pk}/submit/")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "report_immutable")

    certificate = draft_certificate(machine=machine, certifier=certifier_org, inspector=inspector)
    issued = api.post(f"/api/certification/certificates/{certificate.pk}/issue/").json()
    assert issued["remanufacturing_rate"] == "92.30"
    number, code = issued["number"], issued["verify_url"].split("/")[-2]

    api.force_authenticate(None)
    verified = api.get(f"/api/certification/verify/{number}/{code}/").json()
    assert verified["content"]["number"] == number
    assert verified["status"] == "issued"
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert api.get(f"/api/certification/verify/{number}/{wrong}/").status_code == 404

    api.force_authenticate(inspector)
    no_reason = api.post(f"/api/certification/certificates/{certificate.pk}/revoke/", {})
    assert no_reason.status_code == 400
    revoked = api.post(
        f"/api/certification/certificates/{certificate.pk}/revoke/", {"reason": "复检不合格"}
    )
    assert revoked.json()["status"] == "revoked"
    api.force_authenticate(None)
    still = api.get(f"/api/certification/verify/{number}/{code}/").json()
    assert (still["status"], still["revocation_reason"]) == ("revoked", "复检不合格")


def test_report_list_shows_only_visible_reports(
    api, dealer_org, certifier_org, inspector, other_dealer, dealer
):
    report = filled_report(
        machine=machine_for(dealer_org), certifier=certifier_org, inspector=inspector
    )
    api.force_authenticate(dealer)
    assert api.get("/api/certification/reports/").json()["count"] == 0  # a draft
    api.force_authenticate(inspector)
    rows = api.get("/api/certification/reports/").json()["results"]
    assert [r["id"] for r in rows] == [report.pk]
    api.force_authenticate(other_dealer)
    assert api.get("/api/certification/reports/").json()["count"] == 0


def test_request_and_accept_through_the_api(api, dealer_org, dealer, certifier_org, inspector):
    machine = machine_for(dealer_org)
    api.force_authenticate(dealer)
    created = api.post(
        "/api/certification/requests/", {"machine": machine.pk, "certifier": certifier_org.pk}
    )
    assert created.status_code == 201
    api.force_authenticate(inspector)
    accepted = api.post(f"/api/certification/requests/{created.json()['id']}/accept/").json()
    assert accepted["report_id"]


def test_passport_api_is_public(api, dealer_org):
    machine = machine_for(dealer_org)
    data = api.get(f"/api/certification/machines/{machine.pk}/passport/").json()
    assert data["machine"]["id"] == machine.pk
    assert "maintenance" not in data


def test_verification_code_is_not_exposed_for_drafts(dealer_org, certifier_org, inspector):
    certificate = draft_certificate(
        machine=machine_for(dealer_org), certifier=certifier_org, inspector=inspector
    )
    with pytest.raises(ValueError):
        verification_code(certificate)
