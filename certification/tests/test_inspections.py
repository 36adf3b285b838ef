import datetime as dt
from decimal import Decimal

import pytest

from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from certification.inspection_templates import template_of
from certification.models import (
    CertificationEvent,
    InspectionReport,
    InspectionRequest,
    InspectionRequestStatus,
    ReportStatus,
)
from certification.services import inspections
from certification.tests.factories import filled_report, machine_for, png_upload, submitted_report
from core.errors import ConflictError, DomainError, PermissionDeniedError
from marketplace.models import HourMeterReading, Machine
from marketplace.tests.factories import PublishedListingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def machine(dealer_org):
    return machine_for(dealer_org, year_of_manufacture=dt.date.today().year - 2)


def _snapshot(machine: Machine) -> tuple:
    machine.refresh_from_db()
    return (
        machine.condition_grade,
        machine.is_inspected,
        machine.current_hours,
        HourMeterReading.objects.filter(machine=machine).count(),
        InspectionReport.objects.filter(status=ReportStatus.SUBMITTED).count(),
    )


def test_submit_grades_records_verified_reading_and_sets_flags(
    machine, certifier_org, inspector, django_capture_on_commit_callbacks, monkeypatch
):
    listing = PublishedListingFactory(machine=machine)
    changed: list[int] = []
    monkeypatch.setattr(
        "certification.services.common.listing_changed", lambda pk: changed.append(pk)
    )
    report = submitted_report(
        machine=machine, certifier=certifier_org, inspector=inspector, hours=2500
    )
    machine.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.grade == "A"
    assert report.number.startswith(f"IL-IR-{dt.date.today().year}-")
    assert (machine.condition_grade, machine.is_inspected, machine.current_hours) == (
        "A",
        True,
        2500,
    )
    reading = HourMeterReading.objects.get(machine=machine)
    assert (reading.hours, reading.source, reading.note) == (2500, "inspection", report.number)
    assert listing.pk in changed
    assert CertificationEvent.objects.filter(report=report, action="report_submitted").count() == 1


def test_report_numbers_are_sequential(dealer_org, certifier_org, inspector):
    first = submitted_report(
        machine=machine_for(dealer_org), certifier=certifier_org, inspector=inspector
    )
    second = submitted_report(
        machine=machine_for(dealer_org), certifier=certifier_org, inspector=inspector
    )
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


def test_incomplete_report_is_refused_with_fields(machine, certifier_org, inspector):
    report = inspections.inspection_report_start(
        machine=machine, certifier=certifier_org, actor=inspector
    )
    with pytest.raises(DomainError) as exc:
        inspections.inspection_report_submit(report=report, actor=inspector)
    assert exc.value.code == "report_incomplete"
    assert {"hour_meter_reading", "hour_meter_photo", "item_undercarriage", "photo_cab"} <= set(
        exc.value.fields
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.number is None


def test_serial_mismatch_blocks_submission(machine, certifier_org, inspector):
    report = filled_report(
        machine=machine,
        certifier=certifier_org,
        inspector=inspector,
        serial_number_observed="OTHER-1",
    )
    with pytest.raises(DomainError) as exc:
        inspections.inspection_report_submit(report=report, actor=inspector)
    assert list(exc.value.fields) == ["serial_number_observed"]


def test_accident_screen_gives_e_and_structural_problem_gives_d(
    dealer_org, certifier_org, inspector
):
    flooded = submitted_report(
        machine=machine_for(dealer_org),
        certifier=certifier_org,
        inspector=inspector,
        flood_damage=True,
    )
    assert flooded.grade == "E"
    report = filled_report(
        machine=machine_for(dealer_org), certifier=certifier_org, inspector=inspector
    )
    inspections.inspection_item_set(
        report=report, actor=inspector, system="structure", rating="poor", comment="动臂焊缝开裂"
    )
    assert inspections.inspection_report_submit(report=report, actor=inspector).grade == "D"


def test_wheeled_template_uses_tyres(dealer_org, certifier_org, inspector):
    from marketplace.tests.factories import CategoryFactory, EquipmentModelFactory

    loader = CategoryFactory(slug="wheel-loader", name="装载机", name_en="Wheel loaders")
    model = EquipmentModelFactory(name="LG855", category=loader)
    report = submitted_report(
        machine=machine_for(dealer_org, equipment_model=model),
        certifier=certifier_org,
        inspector=inspector,
        wear=Decimal("60"),
    )
    assert report.template_key == "wheel_loader"
    assert set(report.items.values_list("system", flat=True)) >= {"tyres"}
    assert "undercarriage" not in set(report.items.values_list("system", flat=True))
    assert report.grade == "C"


@pytest.mark.parametrize("who", ["anonymous", "dealer", "non_inspector", "other_certifier"])
def test_only_inspectors_of_the_certifier_write_reports(
    who, machine, certifier_org, inspector, dealer
):
    report = filled_report(machine=machine, certifier=certifier_org, inspector=inspector)
    actors = {
        "anonymous": None,
        "dealer": dealer,
        "non_inspector": member_of(certifier_org, Role.ADMIN),
        "other_certifier": member_of(
            OrganizationFactory(kind=OrganizationKind.CERTIFIER), Role.INSPECTOR
        ),
    }
    before = _snapshot(machine)
    with pytest.raises(PermissionDeniedError):
        inspections.inspection_report_submit(report=report, actor=actors[who])
    with pytest.raises(PermissionDeniedError):
        inspections.inspection_item_set(
            report=report, actor=actors[who], system="engine", rating="failed"
        )
    with pytest.raises(PermissionDeniedError):
        inspections.inspection_report_start(
            machine=machine, certifier=certifier_org, actor=actors[who]
        )
    assert _snapshot(machine) == before
    assert report.items.get(system="engine").rating == "good"
    assert InspectionReport.objects.count() == 1


def test_certifier_cannot_inspect_a_machine_it_owns(certifier_org, inspector):
    own = machine_for(certifier_org)
    with pytest.raises(PermissionDeniedError) as exc:
        inspections.inspection_report_start(machine=own, certifier=certifier_org, actor=inspector)
    assert exc.value.code == "conflict_of_interest"
    assert InspectionReport.objects.count() == 0


def test_certifier_cannot_submit_for_a_machine_it_sells(machine, certifier_org, inspector):
    report = filled_report(machine=machine, certifier=certifier_org, inspector=inspector)
    # The certifier became the seller after the draft was started.
    PublishedListingFactory(machine=machine, seller=certifier_org)
    before = _snapshot(machine)
    with pytest.raises(PermissionDeniedError) as exc:
        inspections.inspection_report_submit(report=report, actor=inspector)
    assert exc.value.code == "conflict_of_interest"
    assert _snapshot(machine) == before


def test_submitted_report_cannot_be_edited(machine, certifier_org, inspector):
    report = submitted_report(machine=machine, certifier=certifier_org, inspector=inspector)
    before = (report.summary, report.grade, list(report.items.values_list("rating", flat=True)))
    with pytest.raises(ConflictError) as exc:
        inspections.inspection_report_update(
            report=report,
            actor=inspector,
            data=inspections.ReportInput(inspected_on=dt.date.today(), summary="改写"),
        )
    assert exc.value.code == "report_immutable"
    with pytest.raises(ConflictError):
        inspections.inspection_item_set(
            report=report, actor=inspector, system="engine", rating="failed"
        )
    with pytest.raises(ConflictError):
        inspections.inspection_photo_add(report=report, actor=inspector, upload=png_upload())
    with pytest.raises(ConflictError):
        inspections.inspection_report_submit(report=report, actor=inspector)
    report.refresh_from_db()
    assert (
        report.summary,
        report.grade,
        list(report.items.values_list("rating", flat=True)),
    ) == before
    assert report.photos.count() == 7


def test_submitted_report_must_stay_complete_at_database_level(machine, certifier_org, inspector):
    from django.db import IntegrityError, transaction

    report = submitted_report(machine=machine, certifier=certifier_org, inspector=inspector)
    with pytest.raises(IntegrityError), transaction.atomic():
        InspectionReport.objects.filter(pk=report.pk).update(grade="")
    with pytest.raises(IntegrityError), transaction.atomic():
        InspectionReport.objects.filter(pk=report.pk).update(number=None)


def test_correction_is_a_new_version_linked_to_the_previous(machine, certifier_org, inspector):
    original = submitted_report(machine=machine, certifier=certifier_org, inspector=inspector)
    draft = inspections.inspection_report_correct(report=original, actor=inspector)
    assert (draft.version, draft.previous_id, draft.status) == (2, original.pk, "draft")
    assert draft.items.count() == original.items.count()
    assert draft.photos.count() == original.photos.count()
    inspections.inspection_item_set(
        report=draft, actor=inspector, system="hydraulics", rating="fair", comment="轻微渗油"
    )
    corrected = inspections.inspection_report_submit(report=draft, actor=inspector)
    assert corrected.grade == "B"
    assert corrected.number != original.number
    machine.refresh_from_db()
    assert machine.condition_grade == "B"
    # Same hour reading: no duplicate verified reading.
    assert HourMeterReading.objects.filter(machine=machine).count() == 1
    with pytest.raises(ConflictError):
        inspections.inspection_report_correct(report=original, actor=inspector)


def test_inspection_reading_that_rolls_back_flags_the_machine(machine, certifier_org, inspector):
    from marketplace.services import hour_reading_record

    hour_reading_record(
        machine=machine,
        hours=4000,
        source="seller",
        actor=None,
        read_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=400),
    )
    machine.refresh_from_db()
    assert machine.hours_anomaly is False
    submitted_report(
        machine=machine,
        certifier=certifier_org,
        inspector=inspector,
        hours=2500,
        hour_meter_explanation="仪表于去年更换",
    )
    machine.refresh_from_db()
    assert machine.hours_anomaly is True


def test_request_flow_accept_submit_completes_and_notifies(
    machine, dealer_org, dealer, certifier_org, inspector
):
    request = inspections.inspection_request_create(
        machine=machine, requester=dealer_org, certifier=certifier_org, actor=dealer
    )
    with pytest.raises(ConflictError):
        inspections.inspection_request_create(
            machine=machine, requester=dealer_org, certifier=certifier_org, actor=dealer
        )
    report = inspections.inspection_request_accept(request=request, actor=inspector)
    assert report.request_id == request.pk
    request.refresh_from_db()
    assert request.status == InspectionRequestStatus.ACCEPTED
    from certification.tests.factories import filled_report as _filled  # noqa: F401

    # Fill the draft created by acceptance.
    data = inspections.ReportInput(
        inspected_on=dt.date.today(),
        serial_number_observed=machine.serial_number,
        hour_meter_reading=1000,
        cold_start="passed",
        functional_test="passed",
        tradeable_checks={c.key: "yes" for c in template_of(report).tradeable_checks},
    )
    inspections.inspection_report_update(report=report, actor=inspector, data=data)
    for item in report.items.all():
        inspections.inspection_item_set(
            report=report,
            actor=inspector,
            system=item.system,
            rating="good",
            wear_percent=Decimal("10") if item.system == "undercarriage" else None,
        )
    for angle in ("hour_meter", *template_of(report).photo_required):
        inspections.inspection_photo_add(
            report=report, actor=inspector, upload=png_upload(), angle=angle
        )
    inspections.inspection_report_submit(report=report, actor=inspector)
    request.refresh_from_db()
    assert request.status == InspectionRequestStatus.COMPLETED
    assert list(dealer.notifications.values_list("kind", flat=True)) == [
        "inspection_report",
        "inspection_accepted",
    ]


def test_request_refused_for_other_peoples_machine_and_conflicted_certifier(
    machine, other_dealer_org, other_dealer, certifier_org, dealer_org, dealer
):
    with pytest.raises(ConflictError):
        inspections.inspection_request_create(
            machine=machine,
            requester=other_dealer_org,
            certifier=certifier_org,
            actor=other_dealer,
        )
    with pytest.raises(PermissionDeniedError):
        inspections.inspection_request_create(
            machine=machine, requester=dealer_org, certifier=certifier_org, actor=other_dealer
        )
    with pytest.raises(DomainError):
        inspections.inspection_request_create(
            machine=machine, requester=dealer_org, certifier=other_dealer_org, actor=dealer
        )
    assert InspectionRequest.objects.count() == 0


def test_decline_needs_reason_and_only_the_certifier(
    machine, dealer_org, dealer, certifier_org, inspector
):
    request = inspections.inspection_request_create(
        machine=machine, requester=dealer_org, certifier=certifier_org, actor=dealer
    )
    with pytest.raises(PermissionDeniedError):
        inspections.inspection_request_decline(request=request, actor=dealer, reason="x")
    with pytest.raises(DomainError):
        inspections.inspection_request_decline(request=request, actor=inspector, reason=" ")
    request.refresh_from_db()
    assert request.status == "requested"
    inspections.inspection_request_decline(request=request, actor=inspector, reason="排期已满")
    request.refresh_from_db()
    assert (request.status, request.decline_reason) == ("declined", "排期已满")
    with pytest.raises(ConflictError):
        inspections.inspection_request_accept(request=request, actor=inspector)
