"""On PostgreSQL the audit table refuses UPDATE and DELETE, whoever asks (application, shell, psql).

The model already refuses updates and deletes; the trigger makes the database refuse them too. SQLite
(development, tests) keeps the model-level guard only. Removing the trigger needs a migration, which is
itself reviewed and recorded. TRUNCATE (``manage.py flush``, the test runner's reset between
transactional tests) is left to the database owner.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION tdkt_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'tdkt_auditevent is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS tdkt_auditevent_append_only ON tdkt_auditevent;
CREATE TRIGGER tdkt_auditevent_append_only BEFORE UPDATE OR DELETE ON tdkt_auditevent
    FOR EACH ROW EXECUTE FUNCTION tdkt_auditevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS tdkt_auditevent_append_only ON tdkt_auditevent;
DROP FUNCTION IF EXISTS tdkt_auditevent_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("tdkt", "0002_export_job")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
