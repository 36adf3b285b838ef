import pytest
from django.test import override_settings

from certification.models import InspectionItem, RemanCertificate, RemanPart
from certification.services import certificates
from certification.tests.factories import issued_certificate, machine_for, submitted_report
from certification.tests.tampering import tampering
from certification.verification import CODE_LENGTH, verification_code, verify_path

pytestmark = [pytest.mark.django_db, pytest.mark.urls("certification.tests.urls")]


@pytest.fixture
def certificate(dealer_org, certifier_org, inspector):
    return issued_certificate(
        machine=machine_for(dealer_org), certifier=certifier_org, inspector=inspector
    )


def _other_char(char: str) -> str:
    return "A" if char != "A" else "B"


def test_genuine_certificate_verifies(client, certificate):
    path = verify_path(certificate)
    assert path == f"/verify/{certificate.number}/{verification_code(certificate)}/"
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert certificate.number in body
    assert "92.30" in body
    assert "发动机总成" in body


def test_every_single_character_change_of_the_code_is_404(client, certificate):
    code = verification_code(certificate)
    assert len(code) == CODE_LENGTH
    for index in range(len(code)):
        altered = code[:index] + _other_char(code[index]) + code[index + 1 :]
        response = client.get(f"/verify/{certificate.number}/{altered}/")
        assert response.status_code == 404, index
    assert client.get(f"/verify/{certificate.number}/{code.lower()}/").status_code == 404
    assert client.get(f"/verify/{certificate.number}/{code[:-1]}/").status_code == 404


def test_altered_certificate_no_longer_verifies(client, certificate):
    path = verify_path(certificate)
    with tampering("certification_remancertificate"):
        RemanCertificate.objects.filter(pk=certificate.pk).update(warranty_months=36)
    assert client.get(path).status_code == 404


def test_altered_part_mass_no_longer_verifies(client, certificate):
    path = verify_path(certificate)
    part = certificate.parts.get(name="活塞")
    with tampering("certification_remanpart"):
        RemanPart.objects.filter(pk=part.pk).update(unit_mass_kg="2.400")
    assert client.get(path).status_code == 404


def test_invented_certificate_is_404(client, certificate):
    code = verification_code(certificate)
    invented = certificate.number[:-6] + "999999"
    assert client.get(f"/verify/{invented}/{code}/").status_code == 404
    assert client.get(f"/verify/IL-XX-2026-000001/{code}/").status_code == 404
    assert client.get("/verify/not-a-number/ABCDEFGHIJKLMNOPQRST/").status_code == 404


def test_code_made_with_another_secret_does_not_verify(client, certificate):
    with override_settings(CERTIFICATE_SECRET="forger-guess"):
        forged = verification_code(certificate)
    assert client.get(f"/verify/{certificate.number}/{forged}/").status_code == 404


def test_revoked_certificate_still_resolves_and_says_revoked(client, certificate, staff):
    path = verify_path(certificate)
    certificates.reman_certificate_revoke(
        certificate=certificate, actor=staff, reason="伪造旧件来源"
    )
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert "已撤销" in body
    assert "伪造旧件来源" in body


def test_draft_certificate_has_no_public_page(client, dealer_org, certifier_org, inspector):
    from certification.tests.factories import draft_certificate

    draft = draft_certificate(
        machine=machine_for(dealer_org), certifier=certifier_org, inspector=inspector
    )
    draft.number = "IL-RC-2026-123456"  # not saved: drafts have no number
    code = verification_code(draft)
    assert client.get(f"/verify/IL-RC-2026-123456/{code}/").status_code == 404


def test_report_verifies_and_altered_item_does_not(client, dealer_org, certifier_org, inspector):
    report = submitted_report(
        machine=machine_for(dealer_org), certifier=certifier_org, inspector=inspector
    )
    path = verify_path(report)
    response = client.get(path)
    assert response.status_code == 200
    assert report.number in response.content.decode()
    with tampering("certification_inspectionitem"):
        InspectionItem.objects.filter(report=report, system="engine").update(rating="fair")
    assert client.get(path).status_code == 404


def test_verification_page_in_english(client, certificate):
    client.cookies["django_language"] = "en"
    body = client.get(verify_path(certificate), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Remanufacturing certificate verification" in body
    assert "Remanufacturing rate (%)" in body
