"""Simulate someone editing the database behind the application's back (bypassing the
immutability triggers), to prove an altered document no longer verifies."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def tampering(*tables: str):
    """Disable the immutability triggers for the duration, inside the test transaction.

    PostgreSQL: the user triggers of ``tables`` are disabled and enabled again. SQLite cannot
    disable a trigger: every immutability trigger is dropped and created again."""
    if connection.vendor == "sqlite":
        from tests.immutability import set_sqlite_triggers

        set_sqlite_triggers(installed=False)
        try:
            yield
        finally:
            set_sqlite_triggers(installed=True)
        return
    with connection.cursor() as cursor:
        # Deferred foreign-key checks must run first: PostgreSQL refuses ALTER TABLE while
        # trigger events are pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
