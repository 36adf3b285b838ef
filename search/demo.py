"""Demo seeding (settings.DEMO_SEEDERS, run last): index every demo listing in one rebuild."""

from collections.abc import Callable

from search.sync import rebuild_index


def seed(*, log: Callable[[str], None]) -> None:
    total = rebuild_index(lambda done, count: None)
    log(f"search index: {total} listings")
