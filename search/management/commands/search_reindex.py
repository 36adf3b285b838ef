"""``manage.py search_reindex``: rebuild the search index of the configured backend."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from search.sync import rebuild_index


class Command(BaseCommand):
    help = (
        "Rebuild the listing search index. Elasticsearch: a new index is filled, then the alias "
        "is swapped atomically and the old index deleted (searches keep answering). Database: "
        "the search table is rewritten in one transaction."
    )

    def handle(self, *args: object, **options: object) -> None:
        started = time.monotonic()
        self.stdout.write(f"Rebuilding the {settings.SEARCH_BACKEND} search index…")
        total = rebuild_index(self._progress)
        self.stderr.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {total} published listings in {time.monotonic() - started:.1f}s."
            )
        )

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        bar = "#" * filled + "-" * (width - filled)
        self.stderr.write(f"\r[{bar}] {done}/{total}", ending="")
        self.stderr.flush()
