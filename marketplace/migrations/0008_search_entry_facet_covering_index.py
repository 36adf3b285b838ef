"""PostgreSQL only: a covering index with every column filters and facet counts read.

Filtered searches without text read all their candidate rows to count facets; the entry row
also carries the ``tsvector`` (about 0.9 kB), so a scan of the table costs ten times a scan of
this index, which PostgreSQL reads instead (index-only, once vacuum has marked the pages
all-visible). SQLite has no INCLUDE indexes and does not need one.
"""

from django.db import migrations

INDEX = "search_entry_facets_covering"
KEYS = "category_id, brand_id, equipment_model_id, city, province"
INCLUDED = (
    "year, hours, price, weight_t, latitude, longitude, condition_grade, is_inspected, "
    "is_certified, is_remanufactured, has_financing, sale_format, seller_type, published_at, "
    "closes_at, value_ratio, listing_id"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("marketplace", "ListingSearchEntry")._meta.db_table
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {schema_editor.quote_name(table)} "
        f"({KEYS}) INCLUDE ({INCLUDED})"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0007_search_vector_on_entry"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
