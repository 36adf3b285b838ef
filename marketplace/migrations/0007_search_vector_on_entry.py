"""Keep the ``tsvector`` on the (narrow) search entry and only the source text apart.

With the vector in the text table (0005), every text query joined the two tables, and
PostgreSQL's estimates for that join picked nested loops over the whole table; reading the
wide text rows of every match was also what broad words cost. The vector (matched and ranked
on) moves back to the entry, the normalised text and tokens stay in the text table.
"""

import django.contrib.postgres.search
from django.db import migrations

INDEX = "search_entry_vector_gin"
OLD_INDEX = "search_document_vector_gin"


def _tables(apps, schema_editor) -> tuple[str, str]:
    quote = schema_editor.quote_name
    entries = apps.get_model("marketplace", "ListingSearchEntry")._meta.db_table
    documents = apps.get_model("marketplace", "ListingSearchDocument")._meta.db_table
    return quote(entries), quote(documents)


def move_to_entry(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    entries, documents = _tables(apps, schema_editor)
    schema_editor.execute(
        f"UPDATE {entries} AS e SET search_vector = d.search_vector "  # noqa: S608 - constant names
        f"FROM {documents} AS d WHERE d.listing_id = e.listing_id"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {entries} USING gin (search_vector)"
    )


def move_to_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    entries, documents = _tables(apps, schema_editor)
    schema_editor.execute(
        f"UPDATE {documents} AS d SET search_vector = e.search_vector "  # noqa: S608 - constant names
        f"FROM {entries} AS e WHERE d.listing_id = e.listing_id"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON {documents} USING gin (search_vector)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0006_search_sort_indexes_whole_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="listingsearchentry",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        # Reversed, the field comes back first, then the vectors are copied into it.
        migrations.RunPython(move_to_entry, move_to_document),
        migrations.RemoveField(model_name="listingsearchdocument", name="search_vector"),
    ]
