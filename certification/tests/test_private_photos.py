"""Inspection photos: private storage, random names, served by a permission-checked view.

Draft photos: the certifier's members and staff (like the report pages); 404 for everyone
else. Submitted photos: verifiable by anyone holding the report's code, so served to anyone
with the (random) address. The old public /media/ address is gone.
"""

import importlib
import re

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from certification.models import InspectionPhoto, InspectionReport
from certification.tests.factories import filled_report, machine_for, submitted_report
from core.storage import private_storage

pytestmark = pytest.mark.django_db
NAME = re.compile(r"inspections/\d{4}/\d{2}/[A-Za-z0-9_-]{24}\.png")


@pytest.fixture
def machine(dealer_org):
    return machine_for(dealer_org, year_of_manufacture=2020)


@pytest.fixture
def draft(machine, certifier_org, inspector):
    return filled_report(machine=machine, certifier=certifier_org, inspector=inspector)


@pytest.fixture
def other_certifier(db):
    return member_of(OrganizationFactory(kind=OrganizationKind.CERTIFIER), Role.INSPECTOR)


def _assert_photo(response) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment; ")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_photos_are_private_files_under_random_names(draft):
    names = [draft.hour_meter_photo.name, *(p.image.name for p in draft.photos.all())]
    assert len(names) >= 2
    assert all(NAME.fullmatch(name) for name in names), names
    assert all(private_storage().exists(name) for name in names)
    assert not any(default_storage.exists(name) for name in names)
    assert draft.hour_meter_photo.url == f"/certification/photos/{names[0]}"


@pytest.mark.parametrize("who", ["inspector", "staff"])
def test_draft_photo_served_to_the_certifier_and_staff(client, draft, request, who):
    client.force_login(request.getfixturevalue(who))
    _assert_photo(client.get(draft.hour_meter_photo.url))
    _assert_photo(client.get(draft.photos.first().image.url))


@pytest.mark.parametrize("who", ["anonymous", "dealer", "other_certifier", "buyer"])
def test_draft_photo_is_404_for_everyone_else(client, draft, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(draft.hour_meter_photo.url).status_code == 404
    assert client.get(draft.photos.first().image.url).status_code == 404


def test_unknown_name_is_404(client, inspector):
    client.force_login(inspector)
    assert client.get("/certification/photos/inspections/2026/12/none.png").status_code == 404


def test_submitted_report_photos_are_served_to_anyone_with_the_address(
    client, machine, certifier_org, inspector
):
    report = submitted_report(machine=machine, certifier=certifier_org, inspector=inspector)
    _assert_photo(client.get(report.hour_meter_photo.url))
    _assert_photo(client.get(report.photos.first().image.url))


def test_edit_page_shows_photos_through_the_view(client, draft, inspector):
    client.force_login(inspector)
    html = client.get(f"/certification/reports/{draft.pk}/edit/").content.decode()
    assert f'src="/certification/photos/{draft.hour_meter_photo.name}"' in html
    assert "/media/inspections/" not in html


def test_old_public_address_is_gone(client, draft):
    name = draft.hour_meter_photo.name
    default_storage.save(name, ContentFile(b"left-over copy"))
    assert client.get(f"/media/{name}").status_code == 404


def test_migration_moves_existing_photos_keeping_their_names(draft):
    photo = InspectionPhoto.objects.filter(report=draft).first()
    old = "inspections/2026/11/meter.png"
    default_storage.save(old, ContentFile(b"\x89PNG old"))
    InspectionReport.objects.filter(pk=draft.pk).update(hour_meter_photo=old)
    migration = importlib.import_module("certification.migrations.0004_private_inspection_photos")
    migration.to_private(apps, None)
    assert not default_storage.exists(old)
    with private_storage().open(old) as handle:
        assert handle.read() == b"\x89PNG old"
    assert private_storage().exists(photo.image.name)
    migration.to_public(apps, None)
    assert default_storage.exists(old)
    assert not private_storage().exists(old)
