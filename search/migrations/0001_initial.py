"""Search becomes its own app: its models, state only, on marketplace's existing tables.

Marketplace migrations 0002-0011 created and shaped these tables (including PostgreSQL-only
indexes built with raw SQL); the models keep the table names (``db_table``), so this
migration creates nothing in the database and marketplace 0013 then drops them from
marketplace's state. Content types (and the permissions on them) are renamed to the new app
label so that they keep their ids; unapplying renames them back.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import search.models

MODELS = [
    "listingsearchentry",
    "listingsearchdocument",
    "searchtoken",
    "searchindexstate",
    "savedsearch",
    "savedsearchmatch",
]


def _relabel(apps, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    taken = set(
        content_type.objects.filter(app_label=new, model__in=MODELS).values_list("model", flat=True)
    )
    content_type.objects.filter(app_label=old, model__in=set(MODELS) - taken).update(app_label=new)


def content_types_to_search(apps, schema_editor):
    _relabel(apps, "marketplace", "search")


def content_types_to_marketplace(apps, schema_editor):
    _relabel(apps, "search", "marketplace")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("marketplace", "0012_hour_reading_correction"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ListingSearchEntry",
                    fields=[
                        (
                            "listing",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="+",
                                serialize=False,
                                to="marketplace.listing",
                            ),
                        ),
                        ("year", models.PositiveSmallIntegerField(null=True)),
                        ("hours", models.PositiveIntegerField(null=True)),
                        (
                            "price",
                            models.DecimalField(
                                decimal_places=2, max_digits=14, null=True, verbose_name=""
                            ),
                        ),
                        (
                            "weight_t",
                            models.DecimalField(decimal_places=2, max_digits=7, null=True),
                        ),
                        ("province", models.CharField(blank=True, max_length=50)),
                        ("city", models.CharField(blank=True, max_length=50)),
                        ("latitude", models.FloatField(null=True)),
                        ("longitude", models.FloatField(null=True)),
                        ("condition_grade", models.CharField(blank=True, max_length=1)),
                        ("is_inspected", models.BooleanField(default=False)),
                        ("is_certified", models.BooleanField(default=False)),
                        ("is_remanufactured", models.BooleanField(default=False)),
                        ("has_financing", models.BooleanField(default=False)),
                        ("sale_format", models.CharField(max_length=10)),
                        ("seller_type", models.CharField(blank=True, max_length=20)),
                        ("published_at", models.DateTimeField(null=True)),
                        ("closes_at", models.DateTimeField(null=True)),
                        (
                            "value_ratio",
                            models.DecimalField(decimal_places=4, max_digits=8, null=True),
                        ),
                        (
                            "tokens",
                            search.models.TokenIdsField(
                                base_field=models.IntegerField(), null=True, size=None
                            ),
                        ),
                        (
                            "title_tokens",
                            search.models.TokenIdsField(
                                base_field=models.IntegerField(), null=True, size=None
                            ),
                        ),
                        ("indexed_at", models.DateTimeField(auto_now=True)),
                        (
                            "brand",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="marketplace.brand",
                            ),
                        ),
                        (
                            "category",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="marketplace.category",
                            ),
                        ),
                        (
                            "equipment_model",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="marketplace.equipmentmodel",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "marketplace_listingsearchentry",
                    },
                ),
                migrations.CreateModel(
                    name="SearchIndexState",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("version", models.CharField(blank=True, max_length=32)),
                        ("facets", models.JSONField(blank=True, null=True)),
                        ("entry_count", models.PositiveIntegerField(blank=True, null=True)),
                    ],
                    options={
                        "db_table": "marketplace_searchindexstate",
                    },
                ),
                migrations.CreateModel(
                    name="SearchToken",
                    fields=[
                        ("id", models.AutoField(primary_key=True, serialize=False)),
                        ("text", models.CharField(max_length=64, unique=True)),
                    ],
                    options={
                        "db_table": "marketplace_searchtoken",
                    },
                ),
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
                                to="search.listingsearchentry",
                            ),
                        ),
                        ("search_text", models.TextField(blank=True)),
                    ],
                    options={
                        "db_table": "marketplace_listingsearchdocument",
                    },
                ),
                migrations.CreateModel(
                    name="SavedSearch",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="名称")),
                        ("params", models.JSONField(default=dict, verbose_name="搜索条件")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("last_notified_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="saved_searches",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "已保存的搜索",
                        "verbose_name_plural": "已保存的搜索",
                        "db_table": "marketplace_savedsearch",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="SavedSearchMatch",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "listing",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="marketplace.listing",
                            ),
                        ),
                        (
                            "saved_search",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="matches",
                                to="search.savedsearch",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "marketplace_savedsearchmatch",
                    },
                ),
                migrations.AddIndex(
                    model_name="listingsearchentry",
                    index=models.Index(
                        fields=["-published_at", "-listing"], name="search_entry_newest"
                    ),
                ),
                migrations.AddIndex(
                    model_name="listingsearchentry",
                    index=models.Index(
                        fields=["price", "-published_at", "-listing"], name="search_sort_price"
                    ),
                ),
                migrations.AddIndex(
                    model_name="listingsearchentry",
                    index=models.Index(fields=["year"], name="search_entry_year"),
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
                        fields=["value_ratio", "-published_at", "-listing"],
                        name="search_sort_value",
                    ),
                ),
                migrations.AddIndex(
                    model_name="listingsearchentry",
                    index=models.Index(fields=["latitude", "longitude"], name="search_entry_geo"),
                ),
                migrations.AddIndex(
                    model_name="listingsearchentry",
                    index=models.Index(fields=["city"], name="search_entry_city"),
                ),
                migrations.AddIndex(
                    model_name="listingsearchentry",
                    index=models.Index(fields=["weight_t"], name="search_entry_weight"),
                ),
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
                        condition=models.Q(("is_inspected", True)),
                        fields=["is_inspected"],
                        name="search_entry_inspected",
                    ),
                ),
                migrations.AddIndex(
                    model_name="listingsearchentry",
                    index=models.Index(
                        condition=models.Q(("is_certified", True)),
                        fields=["is_certified"],
                        name="search_entry_certified",
                    ),
                ),
                migrations.AddIndex(
                    model_name="listingsearchentry",
                    index=models.Index(
                        condition=models.Q(("is_remanufactured", True)),
                        fields=["is_remanufactured"],
                        name="search_entry_reman",
                    ),
                ),
                migrations.AddIndex(
                    model_name="listingsearchentry",
                    index=models.Index(
                        condition=models.Q(("has_financing", True)),
                        fields=["has_financing"],
                        name="search_entry_financing",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="savedsearchmatch",
                    constraint=models.UniqueConstraint(
                        fields=("saved_search", "listing"), name="saved_search_match_once"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_search, content_types_to_marketplace),
    ]
