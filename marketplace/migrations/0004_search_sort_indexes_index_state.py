"""The search index state token, and PostgreSQL-only sort indexes.

``DESC NULLS LAST`` indexes (for the price-descending and newest-year sorts) are not
supported by SQLite, so they are created on PostgreSQL only.
"""

from django.db import migrations, models

SORT_INDEXES = {
    "search_entry_price_desc": "price DESC NULLS LAST",
    "search_entry_year_desc": "year DESC NULLS LAST",
}


def create_sort_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(
        apps.get_model("marketplace", "ListingSearchEntry")._meta.db_table
    )
    for name, columns in SORT_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")


def drop_sort_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in SORT_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0003_search_entry_fulltext_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchIndexState",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.CharField(blank=True, max_length=32)),
            ],
        ),
        migrations.RunPython(create_sort_indexes, drop_sort_indexes),
    ]
