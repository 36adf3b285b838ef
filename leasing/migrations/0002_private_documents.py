"""Lease documents move from public MEDIA_ROOT to the private storage under random names.

Each stored file is copied to the private storage as ``leasing/documents/YYYY/MM/<random>.<ext>``
(extension from the content: pdf, an image type, or bin) and removed from the public storage,
so the old ``/media/leasing/documents/<original name>`` address stops working. Reversing
copies the files back to the public storage under their (random) private names.
"""

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import migrations, models

import core.storage

IMAGE_SIGNATURES = ((b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"RIFF", "webp"))


def _extension_of(head: bytes) -> str:
    if head.startswith(b"%PDF-"):
        return "pdf"
    return next((ext for magic, ext in IMAGE_SIGNATURES if head.startswith(magic)), "bin")


def _move(documents, source, target, rename) -> None:
    for document in documents:
        old_name = document.file.name
        if not old_name or not source.exists(old_name):
            continue
        with source.open(old_name, "rb") as handle:
            data = handle.read()
        new_name = target.save(rename(document, old_name, data), ContentFile(data))
        document.file.name = new_name
        document.save(update_fields=["file"])
        source.delete(old_name)


def _private_name(document, old_name: str, data: bytes) -> str:
    created = document.created_at
    extension = _extension_of(data[:16])
    return f"leasing/documents/{created:%Y/%m}/{secrets.token_urlsafe(18)}.{extension}"


def to_private(apps, schema_editor):
    LeaseDocument = apps.get_model("leasing", "LeaseDocument")
    documents = LeaseDocument.objects.exclude(file="").iterator()
    _move(documents, default_storage, storages["private"], _private_name)


def to_public(apps, schema_editor):
    LeaseDocument = apps.get_model("leasing", "LeaseDocument")
    documents = LeaseDocument.objects.exclude(file="").iterator()
    _move(documents, storages["private"], default_storage, lambda doc, name, data: name)


class Migration(migrations.Migration):
    dependencies = [
        ("leasing", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="leasedocument",
            name="file",
            field=models.FileField(
                storage=core.storage.private_storage,
                upload_to=core.storage.RandomName("leasing/documents"),
                verbose_name="文件",
            ),
        ),
        migrations.RunPython(to_private, to_public),
    ]
