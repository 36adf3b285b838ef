"""Simulate someone editing the database behind the application's back (bypassing the
immutability triggers), to prove an altered document no longer verifies."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def tampering(*tables: str):
    """Disable the user triggers of ``tables`` for the duration (PostgreSQL; inside the test
    transaction, so it is rolled back with the test)."""
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
