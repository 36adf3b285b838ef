import pytest

from certification.tests.factories import issued_certificate, machine_for, submitted_report

pytestmark = [pytest.mark.django_db, pytest.mark.urls("certification.tests.urls")]


def test_staff_can_list_and_inspect_but_not_edit(client, dealer_org, certifier_org, inspector):
    from accounts.tests.factories import UserFactory

    report = submitted_report(
        machine=machine_for(dealer_org), certifier=certifier_org, inspector=inspector
    )
    certificate = issued_certificate(
        machine=machine_for(dealer_org), certifier=certifier_org, inspector=inspector
    )
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    listing = client.get("/admin/inspectionreport/")
    assert listing.status_code == 200
    assert report.number in listing.content.decode()
    inspect = client.get(f"/admin/inspectionreport/inspect/{report.pk}/")
    assert inspect.status_code == 200
    assert client.get(f"/admin/inspectionreport/edit/{report.pk}/").status_code in (
        302,
        403,
    )
    certs = client.get("/admin/remancertificate/")
    assert certificate.number in certs.content.decode()
    assert client.get("/admin/disposalrequest/").status_code == 200
    assert client.get("/django-admin/certification/remancertificate/").status_code == 200
