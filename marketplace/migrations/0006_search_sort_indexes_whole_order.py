"""Sort indexes over each sort's whole ORDER BY (the value, then newest first).

With one-column indexes PostgreSQL read the first page of, e.g., "best value" by walking the
value index and sorting every tie by date (all of them while valuations are absent), joining
each row to the text table on the way. The price-descending and year sorts are ``DESC NULLS
LAST``, which SQLite cannot index, so those two are replaced on PostgreSQL only.
"""

from django.db import migrations, models

PG_SORT_INDEXES = {
    "search_sort_price_desc": "price DESC NULLS LAST, published_at DESC, listing_id DESC",
    "search_sort_year_desc": "year DESC NULLS LAST, published_at DESC, listing_id DESC",
}
PG_OLD_INDEXES = {
    "search_entry_price_desc": "price DESC NULLS LAST",
    "search_entry_year_desc": "year DESC NULLS LAST",
}


def _table(apps, schema_editor) -> str:
    model = apps.get_model("marketplace", "ListingSearchEntry")
    return schema_editor.quote_name(model._meta.db_table)


def _swap(apps, schema_editor, create: dict, drop: dict) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = _table(apps, schema_editor)
    for name in drop:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for name, columns in create.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")


def create_pg_sort_indexes(apps, schema_editor):
    _swap(apps, schema_editor, PG_SORT_INDEXES, PG_OLD_INDEXES)


def restore_pg_sort_indexes(apps, schema_editor):
    _swap(apps, schema_editor, PG_OLD_INDEXES, PG_SORT_INDEXES)


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0005_search_entry_text_in_own_table"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="listingsearchentry",
            name="search_entry_price",
        ),
        migrations.RemoveIndex(
            model_name="listingsearchentry",
            name="search_entry_hours",
        ),
        migrations.RemoveIndex(
            model_name="listingsearchentry",
            name="search_entry_closes",
        ),
        migrations.RemoveIndex(
            model_name="listingsearchentry",
            name="search_entry_value",
        ),
        migrations.AddIndex(
            model_name="listingsearchentry",
            index=models.Index(
                fields=["price", "-published_at", "-listing"], name="search_sort_price"
            ),
        ),
        migrations.AddIndex(
            model_name="listingsearchentry",
            index=models.Index(
                fields=["hours", "-published_at", "-listing"], name="search_sort_hours"
            ),
        ),
        migrations.AddIndex(
            model_name="listingsearchentry",
            index=models.Index(
                fields=["closes_at", "-published_at", "-listing"], name="search_sort_closes"
            ),
        ),
        migrations.AddIndex(
            model_name="listingsearchentry",
            index=models.Index(
                fields=["value_ratio", "-published_at", "-listing"], name="search_sort_value"
            ),
        ),
        migrations.RunPython(create_pg_sort_indexes, restore_pg_sort_indexes),
    ]
