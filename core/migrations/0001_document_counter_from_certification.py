"""DocumentCounter moves from certification to core in Django's state only: the table
``certification_documentcounter`` and its rows stay, so numbering goes on where it stopped.
certification 0005 removes the model from certification's state after this."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("certification", "0004_private_inspection_photos"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DocumentCounter",
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
                        ("prefix", models.CharField(max_length=4)),
                        ("year", models.PositiveSmallIntegerField()),
                        ("last_value", models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        "db_table": "certification_documentcounter",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("prefix", "year"), name="document_counter_unique"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
