"""Demo data of the certification app, called by `manage.py seed_demo` after the marketplace data.

Must be idempotent (running twice creates nothing new) and mark everything as simulated.
"""

from collections.abc import Callable


def seed(*, log: Callable[[str], None]) -> None:
    log("certification: no demo data yet")
