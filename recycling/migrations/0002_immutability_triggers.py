"""Database triggers keeping issued disposal certificates immutable (see the certification
app's migration 0002 for the same rule on its documents): only the revocation columns of a
certificate may change, material lines can never be updated or deleted, and nothing can be
deleted. Material lines are inserted in the transaction that issues the certificate."""

from django.db import migrations

TABLE = "recycling_disposalcertificate"
LINES = "recycling_materialline"
CONTENT = (
    "number", "request_id", "machine_id", "recycler_id", "issued_by_id", "completed_on",
    "total_mass_kg", "recyclable_mass_kg", "recoverable_mass_kg", "recyclability_rate",
    "recoverability_rate", "issued_at",
)  # fmt: skip
MESSAGE = f"{TABLE}: published documents are immutable"


def _row(prefix: str) -> str:
    return "ROW(" + ", ".join(f"{prefix}.{c}" for c in CONTENT) + ")"


POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION recycling_certificate_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.status = 'revoked'
     OR {_row("NEW")} IS DISTINCT FROM {_row("OLD")} THEN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END; $$ LANGUAGE plpgsql;""",
    f"CREATE TRIGGER recycling_certificate_guard BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION recycling_certificate_guard();",
    f"""CREATE OR REPLACE FUNCTION recycling_line_guard() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
END; $$ LANGUAGE plpgsql;""",
    f"CREATE TRIGGER recycling_line_guard BEFORE UPDATE OR DELETE ON {LINES} "
    "FOR EACH ROW EXECUTE FUNCTION recycling_line_guard();",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS recycling_certificate_guard ON {TABLE};",
    f"DROP TRIGGER IF EXISTS recycling_line_guard ON {LINES};",
    "DROP FUNCTION IF EXISTS recycling_certificate_guard();",
    "DROP FUNCTION IF EXISTS recycling_line_guard();",
]
_ABORT = f"SELECT RAISE(ABORT, '{MESSAGE}');"
_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT)
SQLITE = [
    f"CREATE TRIGGER IF NOT EXISTS recycling_certificate_guard_u BEFORE UPDATE ON {TABLE} "
    f"WHEN OLD.status = 'revoked' OR {_CHANGED} BEGIN {_ABORT} END;",
    f"CREATE TRIGGER IF NOT EXISTS recycling_certificate_guard_d BEFORE DELETE ON {TABLE} "
    f"BEGIN {_ABORT} END;",
    f"CREATE TRIGGER IF NOT EXISTS recycling_line_guard_u BEFORE UPDATE ON {LINES} "
    f"BEGIN {_ABORT} END;",
    f"CREATE TRIGGER IF NOT EXISTS recycling_line_guard_d BEFORE DELETE ON {LINES} "
    f"BEGIN {_ABORT} END;",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name};"
    for name in (
        "recycling_certificate_guard_u",
        "recycling_certificate_guard_d",
        "recycling_line_guard_u",
        "recycling_line_guard_d",
    )
]


def _execute(schema_editor, statements: dict[str, list[str]]) -> None:
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def install(apps, schema_editor):
    _execute(schema_editor, {"postgresql": POSTGRES, "sqlite": SQLITE})


def uninstall(apps, schema_editor):
    _execute(schema_editor, {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP})


class Migration(migrations.Migration):
    dependencies = [("recycling", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
