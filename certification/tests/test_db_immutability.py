"""The database itself refuses edits of published documents (triggers from migration 0002)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from certification.models import (
    InspectionItem,
    InspectionPhoto,
    InspectionReport,
    RemanCertificate,
    RemanPart,
    RemanStageRecord,
)
from certification.tests.factories import (
    draft_certificate,
    filled_report,
    issued_certificate,
    machine_for,
    submitted_report,
)

pytestmark = pytest.mark.django_db


def _refused(action) -> None:
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        action()


def test_submitted_report_rows_cannot_change(dealer_org, certifier_org, inspector):
    report = submitted_report(
        machine=machine_for(dealer_org), certifier=certifier_org, inspector=inspector
    )
    item = report.items.first()
    _refused(lambda: InspectionReport.objects.filter(pk=report.pk).update(summary="改写"))
    _refused(lambda: InspectionReport.objects.filter(pk=report.pk).delete())
    _refused(lambda: InspectionItem.objects.filter(pk=item.pk).update(rating="failed"))
    _refused(lambda: InspectionItem.objects.filter(pk=item.pk).delete())
    _refused(lambda: InspectionItem.objects.create(report=report, system="engine", position=9))
    _refused(lambda: InspectionPhoto.objects.filter(report=report).delete())
    report.refresh_from_db()
    item.refresh_from_db()
    # seven photos: the excavator template's required angles
    assert (report.summary, item.rating, report.photos.count()) == ("整机状况良好", "good", 7)


def test_draft_report_rows_stay_editable(dealer_org, certifier_org, inspector):
    report = filled_report(
        machine=machine_for(dealer_org), certifier=certifier_org, inspector=inspector
    )
    assert InspectionReport.objects.filter(pk=report.pk).update(summary="草稿可改") == 1
    assert InspectionItem.objects.filter(report=report, system="cab").update(rating="fair") == 1


def test_issued_certificate_rows_only_allow_revocation(dealer_org, certifier_org, inspector):
    certificate = issued_certificate(
        machine=machine_for(dealer_org), certifier=certifier_org, inspector=inspector
    )
    rows = RemanCertificate.objects.filter(pk=certificate.pk)
    _refused(lambda: rows.update(warranty_months=36))
    other = submitted_report(
        machine=certificate.machine, certifier=certifier_org, inspector=inspector
    )
    _refused(lambda: rows.update(inspection_report=other))  # a column added by 0003
    _refused(lambda: rows.update(remanufacturing_rate=Decimal("99.00")))
    _refused(lambda: rows.update(status="draft", number=None, issued_at=None))
    _refused(lambda: rows.delete())
    _refused(lambda: RemanPart.objects.filter(certificate=certificate).update(quantity=2))
    _refused(
        lambda: RemanPart.objects.create(
            certificate=certificate, name="x", disposition="reused", unit_mass_kg=Decimal("500")
        )
    )
    _refused(lambda: RemanStageRecord.objects.filter(certificate=certificate).delete())
    # Revocation columns may change once.
    assert rows.update(status="revoked", revoked_at=timezone.now(), revocation_reason="测试") == 1
    _refused(lambda: rows.update(revocation_reason="改原因"))
    _refused(lambda: rows.update(status="issued", revoked_at=None, revocation_reason=""))
    certificate.refresh_from_db()
    assert (certificate.warranty_months, certificate.revocation_reason) == (12, "测试")


def test_draft_certificate_rows_stay_editable(dealer_org, certifier_org, inspector):
    certificate = draft_certificate(
        machine=machine_for(dealer_org), certifier=certifier_org, inspector=inspector
    )
    assert RemanCertificate.objects.filter(pk=certificate.pk).update(warranty_months=24) == 1
    assert RemanPart.objects.filter(certificate=certificate).update(quantity=2) == 4
