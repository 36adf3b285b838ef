# Adds the whole-index facet counts that index writes keep exact (database search backend).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0008_search_entry_facet_covering_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchindexstate",
            name="facets",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
