"""Periodic jobs: the scheduler enqueues each registered task on its interval.

The work itself runs on the task worker; the scheduler only decides *when*. Jobs are listed
in ``settings.PERIODIC_TASKS`` as ``{"dotted.path.to.task": seconds}``.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string


def due_jobs(last_run: dict[str, float], now: float) -> list[str]:
    return [
        path
        for path, interval in settings.PERIODIC_TASKS.items()
        if now - last_run.get(path, 0.0) >= interval
    ]


def run_forever(
    *, tick_seconds: float = 5.0, log: Callable[[str], None] = print, iterations: int | None = None
) -> None:
    last_run: dict[str, float] = {}
    count = 0
    while iterations is None or count < iterations:
        now = time.monotonic()
        for path in due_jobs(last_run, now):
            import_string(path).enqueue()
            last_run[path] = now
            log(f"enqueued {path}")
        count += 1
        time.sleep(tick_seconds)
