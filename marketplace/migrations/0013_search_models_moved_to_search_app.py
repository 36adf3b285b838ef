"""Search's six models now belong to the search app (its migration 0001): state only.

The tables stay where they are, under their old names (the models set ``db_table``), so no
row is copied or touched; this migration only drops the models from marketplace's state.
Migrating back to 0012 puts them back in marketplace's state, again without touching a table.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0012_hour_reading_correction"),
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="listingsearchdocument",
                    name="entry",
                ),
                migrations.RemoveField(
                    model_name="listingsearchentry",
                    name="brand",
                ),
                migrations.RemoveField(
                    model_name="listingsearchentry",
                    name="category",
                ),
                migrations.RemoveField(
                    model_name="listingsearchentry",
                    name="equipment_model",
                ),
                migrations.RemoveField(
                    model_name="listingsearchentry",
                    name="listing",
                ),
                migrations.RemoveField(
                    model_name="savedsearch",
                    name="user",
                ),
                migrations.RemoveField(
                    model_name="savedsearchmatch",
                    name="saved_search",
                ),
                migrations.RemoveField(
                    model_name="savedsearchmatch",
                    name="listing",
                ),
                migrations.DeleteModel(
                    name="SearchIndexState",
                ),
                migrations.DeleteModel(
                    name="SearchToken",
                ),
                migrations.DeleteModel(
                    name="ListingSearchDocument",
                ),
                migrations.DeleteModel(
                    name="ListingSearchEntry",
                ),
                migrations.DeleteModel(
                    name="SavedSearch",
                ),
                migrations.DeleteModel(
                    name="SavedSearchMatch",
                ),
            ],
            database_operations=[],
        ),
    ]
