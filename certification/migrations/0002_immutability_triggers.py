"""Database triggers that keep submitted reports and issued certificates immutable.

The services already refuse such edits; these triggers make the database refuse them too, for
code paths that bypass the services (raw SQL, ``QuerySet.update``, the shell). They are
installed by migrations for PostgreSQL and SQLite and raise an integrity error:

* a submitted ``InspectionReport`` cannot be updated or deleted, and its items and photos
  cannot be inserted, updated or deleted;
* an issued ``RemanCertificate`` may only change its revocation columns (issued → revoked);
  a revoked one cannot change at all; neither can be deleted; stages and parts of a
  non-draft certificate cannot be inserted, updated or deleted.

The SQL is built here from explicit column lists, not from the models or app code, so this
migration keeps meaning what it meant when it ran.
"""

from django.db import migrations

REPORT_TABLE = "certification_inspectionreport"
REPORT_CHILDREN = ("certification_inspectionitem", "certification_inspectionphoto")
CERTIFICATE_TABLE = "certification_remancertificate"
CERTIFICATE_CHILDREN = ("certification_remanstagerecord", "certification_remanpart")
CERTIFIED_CERTIFICATE_COLUMNS = (
    "number", "version", "previous_id", "machine_id", "certifier_id", "issued_by_id", "subject",
    "component_name", "component_part_number", "component_serial", "core_identification",
    "remanufacturer", "performance_declaration", "test_summary", "label_text",
    "label_location", "warranty_months", "warranty_terms", "valid_from", "valid_until",
    "reused_mass_kg", "total_mass_kg", "remanufacturing_rate", "issued_at",
)  # fmt: skip


def _row(prefix: str, columns: tuple[str, ...]) -> str:
    return "ROW(" + ", ".join(f"{prefix}.{c}" for c in columns) + ")"


def _pg_raise(message: str) -> str:
    return (
        f"RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation';"
    )


def postgres_install(
    *,
    parent: str,
    children: tuple[str, ...],
    fk: str,
    locked_parent: str,
    locked_child: str,
    parent_update_allowed: str,
    name: str,
) -> list[str]:
    """SQL statements creating the parent and child triggers of one document table.

    ``locked_parent`` is a boolean SQL expression over OLD saying the row is published;
    ``parent_update_allowed`` is one over OLD/NEW saying an UPDATE of a published row is
    still acceptable; ``locked_child`` is one over ``parent_status``.
    """
    statements = [
        f"""CREATE OR REPLACE FUNCTION {name}_guard() RETURNS trigger AS $$
BEGIN
  IF {locked_parent} THEN
    IF TG_OP = 'DELETE' OR NOT ({parent_update_allowed}) THEN
      {_pg_raise(f"{parent}: published documents are immutable")}
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END; $$ LANGUAGE plpgsql;""",
        f"DROP TRIGGER IF EXISTS {name}_guard ON {parent};",
        f"CREATE TRIGGER {name}_guard BEFORE UPDATE OR DELETE ON {parent} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}_guard();",
        f"""CREATE OR REPLACE FUNCTION {name}_child_guard() RETURNS trigger AS $$
DECLARE parent_status text;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    SELECT p.status INTO parent_status FROM {parent} p WHERE p.id = OLD.{fk};
    IF {locked_child} THEN {_pg_raise(f"{parent}: published documents are immutable")} END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    SELECT p.status INTO parent_status FROM {parent} p WHERE p.id = NEW.{fk};
    IF {locked_child} THEN {_pg_raise(f"{parent}: published documents are immutable")} END IF;
    RETURN NEW;
  END IF;
  RETURN OLD;
END; $$ LANGUAGE plpgsql;""",
    ]
    for child in children:
        statements += [
            f"DROP TRIGGER IF EXISTS {name}_child_guard ON {child};",
            f"CREATE TRIGGER {name}_child_guard BEFORE INSERT OR UPDATE OR DELETE ON {child} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}_child_guard();",
        ]
    return statements


def postgres_uninstall(*, parent: str, children: tuple[str, ...], name: str) -> list[str]:
    statements = [f"DROP TRIGGER IF EXISTS {name}_guard ON {parent};"]
    statements += [f"DROP TRIGGER IF EXISTS {name}_child_guard ON {c};" for c in children]
    statements += [
        f"DROP FUNCTION IF EXISTS {name}_guard();",
        f"DROP FUNCTION IF EXISTS {name}_child_guard();",
    ]
    return statements


def sqlite_install(
    *,
    parent: str,
    children: tuple[str, ...],
    fk: str,
    locked_parent: str,
    locked_child_values: tuple[str, ...],
    parent_update_allowed: str,
    name: str,
) -> list[str]:
    abort = f"SELECT RAISE(ABORT, '{parent}: published documents are immutable');"
    values = ", ".join(f"'{v}'" for v in locked_child_values)
    statements = [
        f"CREATE TRIGGER IF NOT EXISTS {name}_guard_u BEFORE UPDATE ON {parent} "
        f"WHEN ({locked_parent}) AND NOT ({parent_update_allowed}) BEGIN {abort} END;",
        f"CREATE TRIGGER IF NOT EXISTS {name}_guard_d BEFORE DELETE ON {parent} "
        f"WHEN {locked_parent} BEGIN {abort} END;",
    ]
    for child in children:
        def status_of(row: str, child=child) -> str:
            return f"(SELECT status FROM {parent} WHERE id = {row}.{fk}) IN ({values})"

        statements += [
            f"CREATE TRIGGER IF NOT EXISTS {child}_guard_i BEFORE INSERT ON {child} "
            f"WHEN {status_of('NEW')} BEGIN {abort} END;",
            f"CREATE TRIGGER IF NOT EXISTS {child}_guard_u BEFORE UPDATE ON {child} "
            f"WHEN {status_of('OLD')} OR {status_of('NEW')} BEGIN {abort} END;",
            f"CREATE TRIGGER IF NOT EXISTS {child}_guard_d BEFORE DELETE ON {child} "
            f"WHEN {status_of('OLD')} BEGIN {abort} END;",
        ]
    return statements


def sqlite_uninstall(*, parent: str, children: tuple[str, ...], name: str) -> list[str]:
    statements = [f"DROP TRIGGER IF EXISTS {name}_guard_{op};" for op in ("u", "d")]
    for child in children:
        statements += [f"DROP TRIGGER IF EXISTS {child}_guard_{op};" for op in ("i", "u", "d")]
    return statements


def _certificate_update_allowed(columns: tuple[str, ...]) -> tuple[str, str]:
    pg = (
        "OLD.status = 'issued' AND NEW.status IN ('issued', 'revoked') AND "
        f"{_row('NEW', columns)} IS NOT DISTINCT FROM {_row('OLD', columns)}"
    )
    sqlite = "OLD.status = 'issued' AND NEW.status IN ('issued', 'revoked') AND " + " AND ".join(
        f"NEW.{c} IS OLD.{c}" for c in columns
    )
    return pg, sqlite


def document_trigger_sql(vendor: str, *, install: bool) -> list[str]:
    """All statements for this app's two document tables on ``vendor``."""
    specs = [
        {
            "parent": REPORT_TABLE,
            "children": REPORT_CHILDREN,
            "fk": "report_id",
            "locked_parent": "OLD.status = 'submitted'",
            "locked_values": ("submitted",),
            "allowed": ("FALSE", "0"),
            "name": "certification_report",
        },
        {
            "parent": CERTIFICATE_TABLE,
            "children": CERTIFICATE_CHILDREN,
            "fk": "certificate_id",
            "locked_parent": "OLD.status IN ('issued', 'revoked')",
            "locked_values": ("issued", "revoked"),
            "allowed": _certificate_update_allowed(CERTIFIED_CERTIFICATE_COLUMNS),
            "name": "certification_certificate",
        },
    ]
    statements: list[str] = []
    for spec in specs:
        common = {"parent": spec["parent"], "children": spec["children"], "name": spec["name"]}
        if vendor == "postgresql" and install:
            values = ", ".join(f"'{v}'" for v in spec["locked_values"])
            statements += postgres_install(
                **common, fk=spec["fk"], locked_parent=spec["locked_parent"],
                locked_child=f"parent_status IN ({values})", parent_update_allowed=spec["allowed"][0],
            )  # fmt: skip
        elif vendor == "postgresql":
            statements += postgres_uninstall(**common)
        elif vendor == "sqlite" and install:
            statements += sqlite_install(
                **common, fk=spec["fk"], locked_parent=spec["locked_parent"],
                locked_child_values=spec["locked_values"], parent_update_allowed=spec["allowed"][1],
            )  # fmt: skip
        elif vendor == "sqlite":
            statements += sqlite_uninstall(**common)
    return statements


def install(apps, schema_editor):
    for statement in document_trigger_sql(schema_editor.connection.vendor, install=True):
        schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    for statement in document_trigger_sql(schema_editor.connection.vendor, install=False):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
