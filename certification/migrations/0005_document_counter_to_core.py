"""DocumentCounter now belongs to core (core 0001 took it over in state; the table and its
rows stay). The content type follows the model, so permissions granted on it are kept."""

from django.db import migrations


def _move_content_type(apps, schema_editor, source: str, target: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    moving = content_type.objects.filter(app_label=source, model="documentcounter")
    if content_type.objects.filter(app_label=target, model="documentcounter").exists():
        moving.delete()  # post_migrate already made the target's row: keep that one
    else:
        moving.update(app_label=target)


def forwards(apps, schema_editor):
    _move_content_type(apps, schema_editor, "certification", "core")


def backwards(apps, schema_editor):
    _move_content_type(apps, schema_editor, "core", "certification")


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0004_private_inspection_photos"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_document_counter_from_certification"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DocumentCounter")],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
