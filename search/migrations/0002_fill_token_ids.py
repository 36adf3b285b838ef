"""Token ids for the entries that have none yet (PostgreSQL), with search's tokenizer.

Until search became its own app, marketplace migration 0011 filled them when it added the
columns. An existing database that had 0011 applied has every entry filled and nothing
happens here; a database that applies 0011 now gets its entries filled by this migration, so
marketplace's history does not import search's code. Unapplying leaves the ids (marketplace
0011, unapplied, drops the columns).
"""

from django.db import migrations

from search import tokens as vocabulary
from search.text import index_tokens

BATCH = 1000


def fill_tokens(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    entry_model = apps.get_model("search", "ListingSearchEntry")
    document_model = apps.get_model("search", "ListingSearchDocument")
    token_model = apps.get_model("search", "SearchToken")
    rows = list(
        document_model.objects.filter(entry__tokens__isnull=True)
        .values_list("entry_id", "search_text", "entry__listing__title")
        .order_by("entry_id")
    )
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        words = {
            entry_id: (index_tokens(text), index_tokens(title or ""))
            for entry_id, text, title in batch
        }
        ids = vocabulary.ids_for(
            (word for pair in words.values() for group in pair for word in group), token_model
        )
        entries = [
            entry_model(
                listing_id=entry_id,
                tokens=vocabulary.id_list(text_words, ids),
                title_tokens=vocabulary.id_list(title_words, ids),
            )
            for entry_id, (text_words, title_words) in words.items()
        ]
        entry_model.objects.bulk_update(entries, ["tokens", "title_tokens"])


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(fill_tokens, migrations.RunPython.noop)]
