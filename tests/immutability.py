"""The database triggers that keep issued documents immutable (certification and recycling
migrations 0002), for tests that must get past them on SQLite."""

import importlib

from django.db import connection

_MIGRATIONS = {
    "certification": "certification.migrations.0002_immutability_triggers",
    "recycling": "recycling.migrations.0002_immutability_triggers",
}


def sqlite_trigger_statements(*, install: bool) -> list[str]:
    """Every immutability trigger's CREATE (IF NOT EXISTS) or DROP (IF EXISTS) on SQLite."""
    certification = importlib.import_module(_MIGRATIONS["certification"])
    recycling = importlib.import_module(_MIGRATIONS["recycling"])
    statements = certification.document_trigger_sql("sqlite", install=install)
    return statements + (recycling.SQLITE if install else recycling.SQLITE_DROP)


def set_sqlite_triggers(*, installed: bool) -> None:
    with connection.cursor() as cursor:
        for statement in sqlite_trigger_statements(install=installed):
            cursor.execute(statement)
