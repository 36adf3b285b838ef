"""Reads of the certification app: who sees which document, and the machine passport."""

from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.module_loading import import_string

from accounts.models import Organization, User
from accounts.permissions import Permission, organizations_with_permission
from certification.adapters import machine_lease_history
from certification.models import (
    CertificateStatus,
    InspectionReport,
    InspectionRequest,
    RemanCertificate,
    ReportStatus,
)
from certification.verification import verify_path
from marketplace.hour_anomalies import HourAnomaly, machine_hour_anomalies
from marketplace.models import (
    HourMeterReading,
    ListingEvent,
    Machine,
    MaintenanceRecord,
    OwnershipTransfer,
)


def user_organization_ids(user: User | None) -> list[int]:
    if user is None or not user.is_authenticated:
        return []
    return list(user.memberships.values_list("organization_id", flat=True))


def can_view_machine_private(user: User | None, machine: Machine) -> bool:
    """The owner's members and platform staff see the whole passport."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_staff or machine.owner_id in user_organization_ids(user)


def report_visible_to(user: User | None) -> Q:
    """Certifier members see their reports; owners and requesters see submitted ones."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_staff:
        return Q()
    org_ids = user_organization_ids(user)
    return Q(certifier_id__in=org_ids) | Q(
        status=ReportStatus.SUBMITTED,
    ) & (Q(machine__owner_id__in=org_ids) | Q(request__requester_id__in=org_ids))


def report_get_for_user(*, report_id: int, user: User | None) -> InspectionReport | None:
    return (
        InspectionReport.objects.filter(report_visible_to(user))
        .select_related(
            "machine__brand",
            "machine__equipment_model",
            "certifier",
            "inspector",
            "previous",
            "machine__category",
        )
        .prefetch_related("items", "photos")
        .filter(pk=report_id)
        .first()
    )


def photo_file_for_user(*, name: str, user: User | None):
    """The stored inspection photo called ``name`` if the user may see it, else None.

    A file can belong to several reports (a correction copies the photos of the report it
    corrects); it is visible if one of them is submitted (verifiable by anyone holding its
    code) or is visible to the user (see ``report_visible_to``).
    """
    if not name:
        return None
    reports = InspectionReport.objects.filter(Q(photos__image=name) | Q(hour_meter_photo=name))
    visible = report_visible_to(user)
    if visible:  # an empty Q (staff: everything) would vanish from the OR below
        reports = reports.filter(Q(status=ReportStatus.SUBMITTED) | visible)
    report = reports.distinct().first()
    if report is None:
        return None
    if report.hour_meter_photo.name == name:
        return report.hour_meter_photo
    return report.photos.filter(image=name).first().image


def certificate_visible_to(user: User | None) -> Q:
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_staff:
        return Q()
    org_ids = user_organization_ids(user)
    return Q(certifier_id__in=org_ids) | (
        ~Q(status=CertificateStatus.DRAFT) & Q(machine__owner_id__in=org_ids)
    )


def certificate_get_for_user(*, certificate_id: int, user: User | None) -> RemanCertificate | None:
    return (
        RemanCertificate.objects.filter(certificate_visible_to(user))
        .select_related("machine__brand", "machine__equipment_model", "certifier", "previous")
        .prefetch_related("stages", "parts")
        .filter(pk=certificate_id)
        .first()
    )


def requests_for_certifiers(user: User) -> QuerySet[InspectionRequest]:
    orgs = organizations_with_permission(user, Permission.INSPECTION_WRITE)
    return InspectionRequest.objects.filter(certifier__in=orgs).select_related(
        "machine__brand", "machine__equipment_model", "requester"
    )


def requests_of_requester(user: User) -> QuerySet[InspectionRequest]:
    return InspectionRequest.objects.filter(
        requester_id__in=user_organization_ids(user)
    ).select_related("machine__brand", "machine__equipment_model", "certifier")


def certifier_organizations(user: User | None) -> list[Organization]:
    return organizations_with_permission(user, Permission.INSPECTION_WRITE)


# --- passport ----------------------------------------------------------------------------------


# Everyone sees when a machine was on the market; drafts and moderation stay private.
PUBLIC_LISTING_STATUSES = ("published", "reserved", "sold", "withdrawn", "expired")


class PassportSection(Protocol):
    """What another app adds to a machine's passport (``settings.MACHINE_PASSPORT_SECTIONS``
    lists callables ``(machine) -> PassportSection``): a card on the page, rendered by
    ``template`` with ``section`` and ``p`` (the passport) in its context, and ``rows`` under
    ``key`` in the JSON export. ``documents`` are public documents whose verify links the
    passport collects in ``links`` with its own."""

    key: str
    template: str
    documents: list[Any]
    rows: list[dict[str, Any]]


@dataclass
class Passport:
    machine: Machine
    private: bool
    readings: list[HourMeterReading]
    anomalies: list[HourAnomaly]
    reports: list[InspectionReport]
    certificates: list[RemanCertificate]
    listing_events: list[ListingEvent]
    transfers: list[OwnershipTransfer] = field(default_factory=list)
    maintenance: list[MaintenanceRecord] = field(default_factory=list)
    leases: list[dict] | None = None
    sections: list[PassportSection] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)


def machine_passport(*, machine: Machine, user: User | None) -> Passport:
    private = can_view_machine_private(user, machine)
    reports = list(
        machine.inspection_reports.filter(status=ReportStatus.SUBMITTED)
        .select_related("certifier", "previous", "machine__brand")
        .prefetch_related("items")
        .order_by("submitted_at", "id")
    )
    certificates = list(
        machine.reman_certificates.exclude(status=CertificateStatus.DRAFT)
        .select_related("certifier", "previous", "machine__brand")
        .prefetch_related("stages", "parts")
        .order_by("issued_at", "id")
    )
    sections = [import_string(path)(machine) for path in settings.MACHINE_PASSPORT_SECTIONS]
    passport = Passport(
        machine=machine,
        private=private,
        readings=list(machine.hour_readings.order_by("read_at", "id")),
        anomalies=machine_hour_anomalies(machine),
        reports=reports,
        certificates=certificates,
        listing_events=list(
            ListingEvent.objects.filter(listing__machine=machine)
            .filter(Q() if private else Q(to_status__in=PUBLIC_LISTING_STATUSES))
            .select_related("listing")
            .order_by("created_at", "id")
        ),
        sections=sections,
    )
    documents = [*reports, *certificates, *(d for s in sections for d in s.documents)]
    passport.links = {doc.number: verify_path(doc) for doc in documents}
    if private:
        passport.transfers = list(
            machine.transfers.select_related("from_owner", "to_owner").order_by(
                "transferred_at", "id"
            )
        )
        passport.maintenance = list(machine.maintenance.order_by("performed_on", "id"))
        passport.leases = machine_lease_history(machine)
    return passport


def machine_for_passport(machine_id: int) -> Machine | None:
    return (
        Machine.objects.select_related("brand", "equipment_model", "category", "owner")
        .filter(pk=machine_id)
        .first()
    )


def passport_as_dict(passport: Passport) -> dict[str, Any]:
    """The JSON export: the same facts the page shows to this viewer."""
    m = passport.machine
    data: dict[str, Any] = {
        "machine": {
            "id": m.pk,
            "brand": m.brand.name,
            "model": m.equipment_model.name,
            "category": m.category.slug,
            "serial_number": m.serial_number,
            "year_of_manufacture": m.year_of_manufacture,
            "emission_stage": m.emission_stage,
            "current_hours": m.current_hours,
            "condition_grade": m.condition_grade or None,
            "is_inspected": m.is_inspected,
            "is_certified": m.is_certified,
            "is_remanufactured": m.is_remanufactured,
            "is_encumbered": m.is_encumbered,
            "is_scrapped": m.is_scrapped,
            "hours_anomaly": m.hours_anomaly,
            "accident_history": m.accident_history,
        },
        "hour_readings": [
            {"read_at": r.read_at.isoformat(), "hours": r.hours, "source": r.source}
            for r in passport.readings
        ],
        "hour_anomalies": [
            {
                "kind": a.kind,
                "read_at": a.read_at.isoformat(),
                "hours": a.hours,
                "previous_hours": a.previous_hours,
            }
            for a in passport.anomalies
        ],
        "inspections": [
            {
                "number": r.number,
                "version": r.version,
                "supersedes": r.previous.number if r.previous_id else None,
                "inspected_on": r.inspected_on.isoformat(),
                "certifier": r.certifier.name,
                "grade": r.grade,
                "hours": r.hour_meter_reading,
                "verify_url": passport.links[r.number],
            }
            for r in passport.reports
        ],
        "certificates": [
            {
                "number": c.number,
                "status": c.status,
                "subject": c.subject,
                "component_name": c.component_name,
                "remanufacturing_rate": str(c.remanufacturing_rate),
                "issued_at": c.issued_at.isoformat(),
                "valid_until": c.valid_until.isoformat() if c.valid_until else None,
                "revocation_reason": c.revocation_reason or None,
                "verify_url": passport.links[c.number],
            }
            for c in passport.certificates
        ],
        "listings": [
            {
                "listing_id": e.listing_id,
                "at": e.created_at.isoformat(),
                "from_status": e.from_status,
                "to_status": e.to_status,
            }
            for e in passport.listing_events
        ],
        **{section.key: section.rows for section in passport.sections},
    }
    if passport.private:
        data["owners"] = [
            {
                "at": t.transferred_at.isoformat(),
                "from": t.from_owner.name if t.from_owner_id else None,
                "to": t.to_owner.name,
                "reason": t.reason,
            }
            for t in passport.transfers
        ]
        data["current_owner"] = m.owner.name
        data["maintenance"] = [
            {
                "performed_on": r.performed_on.isoformat(),
                "kind": r.kind,
                "hours": r.hours,
                "description": r.description,
                "performed_by": r.performed_by,
                "cost": str(r.cost) if r.cost is not None else None,
            }
            for r in passport.maintenance
        ]
        data["leases"] = passport.leases
    return data
