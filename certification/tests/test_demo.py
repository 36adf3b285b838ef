import io

import pytest
from django.core.management import call_command

from certification import demo
from certification.models import InspectionReport, RemanCertificate

pytestmark = [pytest.mark.django_db, pytest.mark.urls("certification.tests.urls")]


def test_demo_seed_is_idempotent_and_issues_verifiable_certificates(client):
    lines: list[str] = []
    demo.seed(log=lines.append)
    reports = InspectionReport.objects.filter(status="submitted").count()
    issued = RemanCertificate.objects.filter(status="issued").count()
    assert reports >= 2 and issued >= 2
    demo.seed(log=lines.append)
    assert InspectionReport.objects.count() == reports
    assert RemanCertificate.objects.count() == issued
    assert lines[-1] == "certification: 0 inspection reports and 0 certificates issued"
    out = io.StringIO()
    call_command("certificate_link", "--any", stdout=out)
    response = client.get(out.getvalue().strip())
    assert response.status_code == 200


def test_demo_uses_the_seeded_simulated_inspector_and_spreads_grades(db):
    from accounts.models import OrganizationKind, Role
    from accounts.tests.factories import OrganizationFactory, member_of
    from marketplace.tests.factories import MachineFactory

    certifier = OrganizationFactory(kind=OrganizationKind.CERTIFIER, is_simulated=True)
    inspector = member_of(certifier, Role.INSPECTOR, username="inspector")
    owner = OrganizationFactory(is_simulated=True)
    for _ in range(5):
        MachineFactory(owner=owner, is_simulated=True, year_of_manufacture=2015)
    demo.seed(log=lambda line: None)
    reports = InspectionReport.objects.filter(status="submitted").order_by("id")
    assert {r.certifier_id for r in reports} == {certifier.pk}
    assert {r.inspector_id for r in reports} == {inspector.pk}
    assert [r.grade for r in reports] == ["C", "C", "C", "D", "E"]
