import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from certification.models import CertificateStatus, RemanCertificate, RemanPart
from certification.services import certificates
from certification.tests.factories import draft_certificate, issued_certificate, machine_for
from core.errors import ConflictError, DomainError, PermissionDeniedError
from marketplace.tests.factories import PublishedListingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def machine(dealer_org):
    return machine_for(dealer_org)


def test_issue_computes_rate_numbers_and_sets_machine_flags(machine, certifier_org, inspector):
    certificate = issued_certificate(machine=machine, certifier=certifier_org, inspector=inspector)
    certificate.refresh_from_db()
    machine.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.number.startswith(f"IL-RC-{dt.date.today().year}-")
    assert certificate.reused_mass_kg == Decimal("240.000")
    assert certificate.total_mass_kg == Decimal("260.000")
    assert certificate.remanufacturing_rate == Decimal("92.30")
    assert (machine.is_remanufactured, machine.is_certified) == (True, True)


def test_issue_refused_without_declaration_or_stages(machine, certifier_org, inspector):
    certificate = draft_certificate(
        machine=machine,
        certifier=certifier_org,
        inspector=inspector,
        performance_declaration=False,
    )
    certificates.reman_stage_set(
        certificate=certificate, actor=inspector, stage="testing", passed=False, result="功率不足"
    )
    with pytest.raises(DomainError) as exc:
        certificates.reman_certificate_issue(certificate=certificate, actor=inspector)
    assert set(exc.value.fields) == {"performance_declaration", "stage_testing"}
    certificate.refresh_from_db()
    machine.refresh_from_db()
    assert (certificate.status, certificate.number) == ("draft", None)
    assert machine.is_remanufactured is False


@pytest.mark.parametrize("who", ["anonymous", "dealer", "non_inspector", "other_certifier"])
def test_only_inspectors_of_the_certifier_issue(who, machine, certifier_org, inspector, dealer):
    certificate = draft_certificate(machine=machine, certifier=certifier_org, inspector=inspector)
    actor = {
        "anonymous": None,
        "dealer": dealer,
        "non_inspector": member_of(certifier_org, Role.OWNER),
        "other_certifier": member_of(
            OrganizationFactory(kind=OrganizationKind.CERTIFIER), Role.INSPECTOR
        ),
    }[who]
    with pytest.raises(PermissionDeniedError):
        certificates.reman_certificate_issue(certificate=certificate, actor=actor)
    with pytest.raises(PermissionDeniedError):
        certificates.reman_part_add(
            certificate=certificate,
            actor=actor,
            name="x",
            disposition="reused",
            unit_mass_kg=Decimal("1"),
        )
    certificate.refresh_from_db()
    machine.refresh_from_db()
    assert (certificate.status, certificate.parts.count()) == ("draft", 4)
    assert machine.is_remanufactured is False


def test_certifier_cannot_certify_a_machine_it_owns_or_sells(certifier_org, inspector, dealer_org):
    with pytest.raises(PermissionDeniedError):
        draft_certificate(
            machine=machine_for(certifier_org), certifier=certifier_org, inspector=inspector
        )
    selling = machine_for(dealer_org)
    draft = draft_certificate(machine=selling, certifier=certifier_org, inspector=inspector)
    PublishedListingFactory(machine=selling, seller=certifier_org)
    with pytest.raises(PermissionDeniedError):
        certificates.reman_certificate_issue(certificate=draft, actor=inspector)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert RemanCertificate.objects.filter(status="issued").count() == 0


def test_issued_certificate_cannot_be_edited(machine, certifier_org, inspector):
    certificate = issued_certificate(machine=machine, certifier=certifier_org, inspector=inspector)
    with pytest.raises(ConflictError) as exc:
        certificates.reman_certificate_update(
            certificate=certificate,
            actor=inspector,
            data=certificates.RemanCertificateInput(warranty_months=99),
        )
    assert exc.value.code == "certificate_immutable"
    with pytest.raises(ConflictError):
        certificates.reman_part_add(
            certificate=certificate,
            actor=inspector,
            name="x",
            disposition="reused",
            unit_mass_kg=Decimal("1000"),
        )
    with pytest.raises(ConflictError):
        certificates.reman_part_remove(part=certificate.parts.first(), actor=inspector)
    with pytest.raises(ConflictError):
        certificates.reman_stage_set(
            certificate=certificate, actor=inspector, stage="repair", passed=True, result="改"
        )
    certificate.refresh_from_db()
    assert certificate.warranty_months == 12
    assert RemanPart.objects.filter(certificate=certificate).count() == 4
    assert certificate.stages.get(stage="repair").result == "合格"


def test_database_refuses_an_issued_certificate_without_rate_or_a_revocation_without_reason(
    machine, certifier_org, inspector
):
    certificate = issued_certificate(machine=machine, certifier=certifier_org, inspector=inspector)
    with pytest.raises(IntegrityError), transaction.atomic():
        RemanCertificate.objects.filter(pk=certificate.pk).update(remanufacturing_rate=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        RemanCertificate.objects.filter(pk=certificate.pk).update(status="revoked")
    with pytest.raises(IntegrityError), transaction.atomic():
        RemanCertificate.objects.filter(pk=certificate.pk).update(remanufacturing_rate=Decimal(101))


def test_revocation_needs_reason_and_right_actor_and_clears_flags(
    machine, certifier_org, inspector, dealer, staff
):
    certificate = issued_certificate(machine=machine, certifier=certifier_org, inspector=inspector)
    with pytest.raises(PermissionDeniedError):
        certificates.reman_certificate_revoke(certificate=certificate, actor=dealer, reason="x")
    with pytest.raises(DomainError):
        certificates.reman_certificate_revoke(certificate=certificate, actor=inspector, reason="")
    certificate.refresh_from_db()
    assert certificate.status == "issued"
    certificates.reman_certificate_revoke(
        certificate=certificate, actor=staff, reason="复检发现缸体裂纹"
    )
    certificate.refresh_from_db()
    machine.refresh_from_db()
    assert (certificate.status, certificate.revocation_reason) == ("revoked", "复检发现缸体裂纹")
    assert (machine.is_remanufactured, machine.is_certified) == (False, False)
    with pytest.raises(ConflictError):
        certificates.reman_certificate_revoke(certificate=certificate, actor=staff, reason="again")


def test_correction_issue_revokes_the_previous_version(machine, certifier_org, inspector):
    original = issued_certificate(machine=machine, certifier=certifier_org, inspector=inspector)
    draft = certificates.reman_certificate_correct(certificate=original, actor=inspector)
    assert (draft.version, draft.previous_id, draft.parts.count(), draft.stages.count()) == (
        2,
        original.pk,
        4,
        6,
    )
    certificates.reman_part_add(
        certificate=draft,
        actor=inspector,
        name="飞轮",
        disposition="reused",
        unit_mass_kg=Decimal("40"),
    )
    corrected = certificates.reman_certificate_issue(certificate=draft, actor=inspector)
    original.refresh_from_db()
    assert original.status == "revoked"
    assert corrected.number in original.revocation_reason
    assert corrected.remanufacturing_rate == Decimal("93.33")  # 280 / 300
    machine.refresh_from_db()
    assert machine.is_remanufactured is True
