"""Running functions at the same moment on separate database connections (PostgreSQL race
tests): each thread waits at a barrier, then pauses briefly after every row lock it takes, so
the interleavings that deadlock under a wrong lock order actually happen."""

import threading
import time

from django.db import connection

LOCK_PAUSE_SECONDS = 0.05


def _pause_after_row_locks(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if "FOR UPDATE" in sql:
        time.sleep(LOCK_PAUSE_SECONDS)
    return result


def _run(execute, sql, params, many, context):
    return execute(sql, params, many, context)


def run_together(functions, *, timeout: float = 60, pause_after_locks: bool = True) -> list:
    """Start every function at once, each on its own connection; results or exceptions.

    ``pause_after_locks=False`` runs them at full speed (contention tests with many threads,
    where the pause would only make the test slow)."""
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def runner(index, function):
        try:
            wrapper = _pause_after_row_locks if pause_after_locks else _run
            with connection.execute_wrapper(wrapper):
                barrier.wait()
                results[index] = function()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
