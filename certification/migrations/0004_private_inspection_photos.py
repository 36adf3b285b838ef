"""Inspection photos move from public MEDIA_ROOT to the private storage.

The files keep their names: a submitted report's rows are immutable (0002's triggers) and its
verification code covers the photo names. Only the bytes move; the old public address
(``/media/inspections/...``) stops working and the permission-checked view serves them.
New photos get random names (``RandomName("inspections")``).
"""

from django.core.files.storage import default_storage, storages
from django.db import migrations

import certification.photos
import core.storage


def _photo_names(apps) -> set[str]:
    InspectionPhoto = apps.get_model("certification", "InspectionPhoto")
    InspectionReport = apps.get_model("certification", "InspectionReport")
    names = set(InspectionPhoto.objects.exclude(image="").values_list("image", flat=True))
    meters = InspectionReport.objects.exclude(hour_meter_photo="").exclude(hour_meter_photo=None)
    names.update(meters.values_list("hour_meter_photo", flat=True))
    return names


def _move(names: set[str], source, target) -> None:
    for name in sorted(names):
        if not source.exists(name) or target.exists(name):
            continue
        with source.open(name, "rb") as handle:
            stored = target.save(name, handle)
        if stored != name:  # the target chose another name: keep the source, undo the copy
            target.delete(stored)
            continue
        source.delete(name)


def to_private(apps, schema_editor):
    _move(_photo_names(apps), default_storage, storages["private"])


def to_public(apps, schema_editor):
    _move(_photo_names(apps), storages["private"], default_storage)


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0003_inspection_templates_rollback_and_report_link"),
    ]

    # Storage, upload_to and field class live only in Python: the columns stay as they are, so
    # the state changes alone (on SQLite a real AlterField would rebuild the tables and drop
    # 0002's immutability triggers).
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="inspectionphoto",
                    name="image",
                    field=certification.photos.InspectionPhotoField(
                        storage=core.storage.private_storage,
                        upload_to=core.storage.RandomName("inspections"),
                    ),
                ),
                migrations.AlterField(
                    model_name="inspectionreport",
                    name="hour_meter_photo",
                    field=certification.photos.InspectionPhotoField(
                        blank=True,
                        null=True,
                        storage=core.storage.private_storage,
                        upload_to=core.storage.RandomName("inspections"),
                        verbose_name="小时表照片",
                    ),
                ),
            ]
        ),
        migrations.RunPython(to_private, to_public),
    ]
