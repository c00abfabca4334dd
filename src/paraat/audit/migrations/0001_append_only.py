"""Make the audit trail append-only at the database level (PostgreSQL).

Rows of ``auditlog_logentry`` can be inserted but never updated or deleted, whatever the
application does. On SQLite (demo, tests) the application-level guarantees apply only.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION paraat_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'The audit trail is append-only (% on auditlog_logentry refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS paraat_audit_append_only ON auditlog_logentry;
CREATE TRIGGER paraat_audit_append_only BEFORE UPDATE OR DELETE ON auditlog_logentry
  FOR EACH ROW EXECUTE FUNCTION paraat_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS paraat_audit_append_only ON auditlog_logentry;
DROP FUNCTION IF EXISTS paraat_audit_append_only();
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("auditlog", "0017_add_actor_email")]
    operations = [migrations.RunPython(forwards, backwards)]
