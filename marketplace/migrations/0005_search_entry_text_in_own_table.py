"""Move the search entries' text into a table of its own, keeping the entry row narrow.

Filters, facet counts and sorts read every matching entry row; with the text (about 1.5 kB a
row) inline, a broad search read the text of every match as well. The existing text is copied
over, so no re-index is needed. PostgreSQL also gets the GIN index on the new ``tsvector``
column (the old one goes with the dropped column).
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

INDEX = "search_document_vector_gin"


def copy_text(apps, schema_editor):
    entries = apps.get_model("marketplace", "ListingSearchEntry")
    documents = apps.get_model("marketplace", "ListingSearchDocument")
    quote = schema_editor.quote_name
    columns = ["listing_id", "search_text", "search_tokens"]
    if schema_editor.connection.vendor == "postgresql":
        columns.append("search_vector")
    names = ", ".join(quote(column) for column in columns)
    schema_editor.execute(
        f"INSERT INTO {quote(documents._meta.db_table)} ({names}) "  # noqa: S608 - constant names
        f"SELECT {names} FROM {quote(entries._meta.db_table)}"
    )


def copy_text_back(apps, schema_editor):
    entries = apps.get_model("marketplace", "ListingSearchEntry")
    documents = apps.get_model("marketplace", "ListingSearchDocument")
    for document in documents.objects.iterator():
        entries.objects.filter(pk=document.entry_id).update(
            search_text=document.search_text, search_tokens=document.search_tokens
        )


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("marketplace", "ListingSearchDocument")._meta.db_table
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {schema_editor.quote_name(table)} "
        "USING gin (search_vector)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0004_search_sort_indexes_index_state"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListingSearchDocument",
            fields=[
                (
                    "entry",
                    models.OneToOneField(
                        db_column="listing_id",
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="document",
                        serialize=False,
                        to="marketplace.listingsearchentry",
                    ),
                ),
                ("search_text", models.TextField(blank=True)),
                ("search_tokens", models.TextField(blank=True)),
                ("search_vector", django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
        ),
        migrations.RunPython(copy_text, copy_text_back),
        migrations.RemoveField(model_name="listingsearchentry", name="search_text"),
        migrations.RemoveField(model_name="listingsearchentry", name="search_tokens"),
        migrations.RemoveField(model_name="listingsearchentry", name="search_vector"),
        migrations.RunPython(create_index, drop_index),
    ]
