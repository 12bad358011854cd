"""Only the audit table's owner keeps UPDATE, DELETE and TRUNCATE on it.

Default privileges (scripts/db_roles.sql) grant the application's role every table a
migration creates, the audit table included; this takes the rewriting privileges back
from every role but the owner (the trigger refuses them anyway; this is the second lock).
SQLite has no privileges and skips this.
"""

from django.db import migrations

REVOKE = """
DO $$
DECLARE grantee text;
BEGIN
    FOR grantee IN
        SELECT DISTINCT CASE WHEN acl.grantee = 0 THEN 'PUBLIC'
                             ELSE quote_ident(pg_get_userbyid(acl.grantee)) END
        FROM pg_class c, aclexplode(c.relacl) acl
        WHERE c.oid = 'audit_auditevent'::regclass
          AND acl.grantee <> c.relowner
          AND acl.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER')
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER ON audit_auditevent FROM %s',
                       grantee);
    END LOOP;
END;
$$;
"""


def revoke(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVOKE, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_token_prefix")]

    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
