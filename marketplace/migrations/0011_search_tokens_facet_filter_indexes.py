"""Database search backend: text as token ids, and indexes for the few-valued facet filters.

The entry's ``tsvector`` (about 0.9 kB of a 1 kB row) is replaced by ``integer[]`` columns of
``SearchToken`` ids (about 0.2 kB): a broad word reads every matching row to count facets, and
the row's width was most of that cost. On PostgreSQL the GIN index is built here and the
existing entries get their token ids (from the stored normalised text and the listing title)
in search's migration 0002, which runs after this one (search has been its own app since;
marketplace does not import its tokenizer); other databases do not use the columns.
``search_tokens`` (the vector's source) goes. The index state also keeps the number of entries
in a column of its own.
"""

import django.contrib.postgres.fields
from django.db import migrations, models

GIN_INDEX = "search_entry_tokens_gin"


def create_gin_index(apps, schema_editor):
    """The GIN index on the token ids (PostgreSQL). Filling the ids of existing entries is
    search's migration 0002 (it needs search's tokenizer, which marketplace does not import)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    entry_model = apps.get_model("marketplace", "ListingSearchEntry")
    table = schema_editor.quote_name(entry_model._meta.db_table)
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON {table} USING gin (tokens)")


def count_entries(apps, schema_editor):
    state_model = apps.get_model("marketplace", "SearchIndexState")
    entry_model = apps.get_model("marketplace", "ListingSearchEntry")
    state_model.objects.filter(facets__isnull=False).update(entry_count=entry_model.objects.count())


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0010_salerecord_comparables_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchToken",
            fields=[
                ("id", models.AutoField(primary_key=True, serialize=False)),
                ("text", models.CharField(max_length=64, unique=True)),
            ],
        ),
        # Dropping the column drops its GIN index (search_entry_vector_gin) with it. Reversed,
        # the vectors stay empty until `manage.py search_reindex`.
        migrations.RemoveField(model_name="listingsearchentry", name="search_vector"),
        migrations.RemoveField(model_name="listingsearchdocument", name="search_tokens"),
        migrations.AddField(
            model_name="listingsearchentry",
            name="tokens",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.IntegerField(), null=True, size=None
            ),
        ),
        migrations.AddField(
            model_name="listingsearchentry",
            name="title_tokens",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.IntegerField(), null=True, size=None
            ),
        ),
        migrations.RunPython(create_gin_index, drop_gin_index),
        migrations.AddField(
            model_name="searchindexstate",
            name="entry_count",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(count_entries, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="listingsearchentry",
            index=models.Index(fields=["province"], name="search_entry_province"),
        ),
        migrations.AddIndex(
            model_name="listingsearchentry",
            index=models.Index(fields=["condition_grade"], name="search_entry_grade"),
        ),
        migrations.AddIndex(
            model_name="listingsearchentry",
            index=models.Index(fields=["sale_format"], name="search_entry_sale_format"),
        ),
        migrations.AddIndex(
            model_name="listingsearchentry",
            index=models.Index(fields=["seller_type"], name="search_entry_seller_type"),
        ),
        migrations.AddIndex(
            model_name="listingsearchentry",
            index=models.Index(
                condition=models.Q(is_inspected=True),
                fields=["is_inspected"],
                name="search_entry_inspected",
            ),
        ),
        migrations.AddIndex(
            model_name="listingsearchentry",
            index=models.Index(
                condition=models.Q(is_certified=True),
                fields=["is_certified"],
                name="search_entry_certified",
            ),
        ),
        migrations.AddIndex(
            model_name="listingsearchentry",
            index=models.Index(
                condition=models.Q(is_remanufactured=True),
                fields=["is_remanufactured"],
                name="search_entry_reman",
            ),
        ),
        migrations.AddIndex(
            model_name="listingsearchentry",
            index=models.Index(
                condition=models.Q(has_financing=True),
                fields=["has_financing"],
                name="search_entry_financing",
            ),
        ),
    ]
