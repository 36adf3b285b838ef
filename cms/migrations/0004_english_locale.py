"""The English content locale, beside the default (Simplified Chinese) one."""

from django.db import migrations


def create_locale(apps, schema_editor):
    apps.get_model("wagtailcore.Locale").objects.get_or_create(language_code="en")


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_standard_page_stream_body"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_locale, migrations.RunPython.noop)]
