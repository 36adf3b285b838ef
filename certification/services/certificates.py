"""Remanufacturing certificates: draft → issued → revoked (``CERTIFICATE_TRANSITIONS``).

Issuing checks that every GB/T 28618 stage was performed and passed, that the parts list gives
a remanufacturing rate (:func:`certification.reman.remanufacturing_rate`), that the GB/T 27611
declaration is made, and sets the machine's remanufactured/certified flags. A certificate of a
whole machine names the submitted inspection report of that machine it rests on (a component
certificate may). Issued content is
never edited; a correction is a new draft version, and issuing it revokes the one it replaces.
"""

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.permissions import Permission, has_org_permission, is_platform_staff
from certification.lock_objects import reman_certificate_lock
from certification.models import (
    CertificateStatus,
    InspectionReport,
    PartDisposition,
    RemanCertificate,
    RemanPart,
    RemanStage,
    RemanStageRecord,
    RemanSubject,
)
from certification.numbering import REMAN_CERTIFICATE_PREFIX, next_document_number
from certification.reman import PartMass, remanufacturing_rate
from certification.services.common import (
    ensure_independent,
    ensure_not_scrapped,
    machine_certificate_flags_refresh,
    record_event,
    require_inspector,
)
from core.errors import ConflictError, DomainError, PermissionDeniedError
from marketplace.lock_objects import machine_lock
from marketplace.models import Machine

C = CertificateStatus
CERTIFICATE_TRANSITIONS: dict[str, set[str]] = {
    C.DRAFT: {C.ISSUED},
    C.ISSUED: {C.REVOKED},
    C.REVOKED: set(),
}


@dataclass(frozen=True)
class RemanCertificateInput:
    subject: str = RemanSubject.MACHINE
    component_name: str = ""
    component_part_number: str = ""
    component_serial: str = ""
    core_identification: str = ""
    remanufacturer: str = ""
    performance_declaration: bool = False
    test_summary: str = ""
    label_text: str = ""
    label_location: str = ""
    warranty_months: int | None = None
    warranty_terms: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    inspection_report: InspectionReport | None = None


def _validate_input(data: RemanCertificateInput, machine: Machine) -> None:
    errors: dict[str, list[str]] = {}
    report = data.inspection_report
    if report is not None and (report.machine_id != machine.pk or not report.is_submitted):
        errors["inspection_report"] = [_("请选择该设备已出具的检测报告。")]
    if data.subject not in RemanSubject.values:
        errors["subject"] = [_("无效的选项。")]
    if data.subject == RemanSubject.COMPONENT and not data.component_name.strip():
        errors["component_name"] = [_("部件证书须填写部件名称。")]
    if data.valid_from and data.valid_until and data.valid_until <= data.valid_from:
        errors["valid_until"] = [_("有效期截止日须晚于起始日。")]
    if errors:
        raise DomainError(_("请检查填写的内容。"), fields=errors)


@transaction.atomic
def reman_certificate_create(
    *, machine: Machine, certifier: Organization, actor: User, data: RemanCertificateInput
) -> RemanCertificate:
    require_inspector(actor, certifier, Permission.CERTIFICATE_ISSUE)
    ensure_not_scrapped(machine)
    ensure_independent(certifier=certifier, machine=machine)
    _validate_input(data, machine)
    certificate = RemanCertificate.objects.create(
        machine=machine,
        certifier=certifier,
        created_by=actor,
        **{f.name: getattr(data, f.name) for f in fields(RemanCertificateInput)},
    )
    record_event(action="certificate_created", actor=actor, certificate=certificate)
    return certificate


def _locked_draft(certificate: RemanCertificate, actor: User | None) -> RemanCertificate:
    locked = reman_certificate_lock(certificate.pk, related=("certifier", "machine"))
    require_inspector(actor, locked.certifier, Permission.CERTIFICATE_ISSUE)
    if locked.status != C.DRAFT:
        raise ConflictError(
            _("已签发的证书不能修改；如需更正请创建新版本。"), code="certificate_immutable"
        )
    return locked


@transaction.atomic
def reman_certificate_update(
    *, certificate: RemanCertificate, actor: User, data: RemanCertificateInput
) -> RemanCertificate:
    certificate = _locked_draft(certificate, actor)
    _validate_input(data, certificate.machine)
    names = [f.name for f in fields(RemanCertificateInput)]
    for name in names:
        setattr(certificate, name, getattr(data, name))
    certificate.save(update_fields=[*names, "updated_at"])
    return certificate


@transaction.atomic
def reman_stage_set(
    *,
    certificate: RemanCertificate,
    actor: User,
    stage: str,
    passed: bool,
    result: str,
    performed_on: dt.date | None = None,
) -> RemanStageRecord:
    certificate = _locked_draft(certificate, actor)
    if stage not in RemanStage.values:
        raise DomainError(_("未知的工序。"), fields={"stage": [_("未知的工序。")]})
    record, _created = RemanStageRecord.objects.update_or_create(
        certificate=certificate,
        stage=stage,
        defaults={"passed": passed, "result": result, "performed_on": performed_on},
    )
    return record


@transaction.atomic
def reman_part_add(
    *,
    certificate: RemanCertificate,
    actor: User,
    name: str,
    disposition: str,
    unit_mass_kg: Decimal,
    quantity: int = 1,
    part_number: str = "",
) -> RemanPart:
    certificate = _locked_draft(certificate, actor)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("请填写零件名称。")]
    if disposition not in PartDisposition.values:
        errors["disposition"] = [_("无效的选项。")]
    if quantity < 1:
        errors["quantity"] = [_("数量至少为 1。")]
    if unit_mass_kg is None or unit_mass_kg <= 0:
        errors["unit_mass_kg"] = [_("质量必须大于零。")]
    if errors:
        raise DomainError(_("请检查填写的内容。"), fields=errors)
    return RemanPart.objects.create(
        certificate=certificate,
        name=name.strip(),
        part_number=part_number,
        disposition=disposition,
        quantity=quantity,
        unit_mass_kg=unit_mass_kg,
    )


@transaction.atomic
def reman_part_remove(*, part: RemanPart, actor: User) -> None:
    _locked_draft(part.certificate, actor)
    part.delete()


def certificate_missing_fields(certificate: RemanCertificate) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not certificate.performance_declaration:
        errors["performance_declaration"] = [_("须声明再制造产品性能不低于原型新品。")]
    for name in ("core_identification", "remanufacturer", "label_text", "warranty_terms"):
        if not getattr(certificate, name).strip():
            errors[name] = [_("此项为必填。")]
    if not certificate.warranty_months:
        errors["warranty_months"] = [_("请填写质保期。")]
    if not certificate.valid_from or not certificate.valid_until:
        errors["valid_until"] = [_("请填写有效期。")]
    stages = {s.stage: s for s in certificate.stages.all()}
    for stage in RemanStage.values:
        if stage not in stages or not stages[stage].passed or not stages[stage].result.strip():
            errors[f"stage_{stage}"] = [_("该工序须完成、合格并填写结果。")]
    if not certificate.parts.exists():
        errors["parts"] = [_("请录入再用件和更换件及其质量。")]
    if certificate.subject == RemanSubject.MACHINE and certificate.inspection_report_id is None:
        errors["inspection_report"] = [_("整机证书须关联该设备已出具的检测报告。")]
    return errors


@transaction.atomic
def reman_certificate_issue(*, certificate: RemanCertificate, actor: User) -> RemanCertificate:
    machine = machine_lock(certificate.machine_id)  # machine before certificate (lock_objects)
    certificate = _locked_draft(certificate, actor)
    ensure_not_scrapped(machine)
    ensure_independent(certifier=certificate.certifier, machine=machine)
    missing = certificate_missing_fields(certificate)
    if missing:
        raise DomainError(_("证书尚未填写完整。"), code="certificate_incomplete", fields=missing)
    rate = remanufacturing_rate(
        PartMass(p.disposition, p.quantity, p.unit_mass_kg) for p in certificate.parts.all()
    )
    now = timezone.now()
    certificate.reused_mass_kg = rate.reused_mass_kg
    certificate.total_mass_kg = rate.total_mass_kg
    certificate.remanufacturing_rate = rate.rate_percent
    certificate.status = C.ISSUED
    certificate.issued_at = now
    certificate.issued_by = actor
    certificate.number = next_document_number(prefix=REMAN_CERTIFICATE_PREFIX, year=now.year)
    certificate.save(
        update_fields=[
            "reused_mass_kg",
            "total_mass_kg",
            "remanufacturing_rate",
            "status",
            "issued_at",
            "issued_by",
            "number",
            "updated_at",
        ]
    )
    record_event(action="certificate_issued", actor=actor, certificate=certificate)
    if certificate.previous_id and certificate.previous.status == C.ISSUED:
        _revoke(
            certificate.previous,
            actor,
            _("已被更正版本 %(number)s 取代。") % {"number": certificate.number},
        )
    machine_certificate_flags_refresh(machine)
    return certificate


def can_revoke_certificate(user: User | None, certificate: RemanCertificate) -> bool:
    return certificate.status == C.ISSUED and (
        is_platform_staff(user)
        or has_org_permission(user, certificate.certifier, Permission.CERTIFICATE_ISSUE)
    )


def _revoke(certificate: RemanCertificate, actor: User | None, reason: str) -> RemanCertificate:
    certificate.status = C.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revocation_reason = reason
    certificate.save(
        update_fields=["status", "revoked_at", "revoked_by", "revocation_reason", "updated_at"]
    )
    record_event(action="certificate_revoked", actor=actor, certificate=certificate, note=reason)
    return certificate


@transaction.atomic
def reman_certificate_revoke(
    *, certificate: RemanCertificate, actor: User, reason: str
) -> RemanCertificate:
    """The issuing certifier or platform staff withdraw a certificate, giving a reason."""
    machine_lock(certificate.machine_id)  # machine before certificate (lock_objects)
    certificate = reman_certificate_lock(certificate.pk, related=("certifier", "machine"))
    if not (
        is_platform_staff(actor)
        or has_org_permission(actor, certificate.certifier, Permission.CERTIFICATE_ISSUE)
    ):
        raise PermissionDeniedError(_("您没有执行此操作的权限。"))
    if C.REVOKED not in CERTIFICATE_TRANSITIONS[certificate.status]:
        raise ConflictError(_("只有有效的证书可以撤销。"), code="invalid_transition")
    if not reason.strip():
        raise DomainError(_("请填写撤销原因。"), fields={"reason": [_("请填写撤销原因。")]})
    _revoke(certificate, actor, reason.strip())
    machine_certificate_flags_refresh(certificate.machine)
    return certificate


@transaction.atomic
def reman_certificate_correct(*, certificate: RemanCertificate, actor: User) -> RemanCertificate:
    """A new draft version copying an issued certificate; issuing it revokes the original."""
    original = reman_certificate_lock(certificate.pk)
    require_inspector(actor, original.certifier, Permission.CERTIFICATE_ISSUE)
    if original.status != C.ISSUED:
        raise ConflictError(_("只有有效的证书可以更正。"), code="not_issued")
    if RemanCertificate.objects.filter(previous=original).exists():
        raise ConflictError(_("该证书已有更正版本。"), code="already_corrected")
    draft = RemanCertificate.objects.create(
        previous=original,
        version=original.version + 1,
        machine_id=original.machine_id,
        certifier_id=original.certifier_id,
        created_by=actor,
        **{f.name: getattr(original, f.name) for f in fields(RemanCertificateInput)},
    )
    RemanStageRecord.objects.bulk_create(
        RemanStageRecord(
            certificate=draft,
            stage=s.stage,
            performed_on=s.performed_on,
            passed=s.passed,
            result=s.result,
        )
        for s in original.stages.all()
    )
    RemanPart.objects.bulk_create(
        RemanPart(
            certificate=draft,
            name=p.name,
            part_number=p.part_number,
            disposition=p.disposition,
            quantity=p.quantity,
            unit_mass_kg=p.unit_mass_kg,
        )
        for p in original.parts.all()
    )
    record_event(
        action="certificate_correction_started",
        actor=actor,
        certificate=draft,
        note=original.number,
    )
    return draft
