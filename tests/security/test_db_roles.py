"""The database role split (scripts/db_roles.sql) and the start check that requires it:
the application's role can append to and read the audit trail, never rewrite it, and a
production process refuses to start when its role owns the audit table (audit.E001)."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from django.core.management.base import SystemCheckError
from django.db import connection

from audit.checks import check_audit_table_owner
from census_coord.startup import refuse_unsafe_start

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "db_roles.sql"


def _role() -> str:
    return f"census_app_{uuid.uuid4().hex[:10]}"


@pytest.mark.django_db
def test_check_refuses_a_role_that_owns_the_audit_table():
    # The test connection is the tables' owner (and a superuser).
    errors = check_audit_table_owner(databases=["default"])
    assert [error.id for error in errors] == ["audit.E001"]
    # Without --database (check --deploy alone, the build), the check does not connect.
    assert check_audit_table_owner(databases=None) == []


@pytest.mark.django_db
def test_check_passes_for_a_role_with_insert_and_select_on_the_audit_table():
    role = _role()
    with connection.cursor() as cursor:
        # Inside the test's transaction: the role is gone after it.
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(f"GRANT SELECT, INSERT ON audit_auditevent TO {role}")
        cursor.execute(f"SET LOCAL ROLE {role}")
        try:
            assert check_audit_table_owner(databases=["default"]) == []
        finally:
            cursor.execute("RESET ROLE")


@pytest.mark.django_db
def test_production_start_refuses_the_owner_role(settings):
    settings.STARTUP_DATABASE_CHECKS = True
    with pytest.raises(SystemCheckError, match=r"audit\.E001"):
        refuse_unsafe_start()
    settings.STARTUP_DATABASE_CHECKS = False
    refuse_unsafe_start()  # off outside production: nothing happens


PROBE = """
\\set ON_ERROR_ROLLBACK on
BEGIN;
\\i {script}
SET ROLE {app};
WITH added AS (
    INSERT INTO audit_auditevent (occurred_at, username, action, object_type, object_id,
        route, user_agent, via_token, token_prefix, extra)
    VALUES (now(), 'probe', 'view', '', '', '', '', false, '', '{{}}') RETURNING 1
) SELECT 'inserted:' || count(*) FROM added;
SELECT 'read:' || count(*) FROM audit_auditevent WHERE username = 'probe';
UPDATE audit_auditevent SET username = 'rewritten';
DELETE FROM audit_auditevent;
ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update_delete;
SELECT 'can-own:' || pg_has_role(current_user, c.relowner, 'MEMBER')
FROM pg_class c WHERE c.oid = 'audit_auditevent'::regclass;
RESET ROLE;
ROLLBACK;
"""


@pytest.mark.skipif(shutil.which("psql") is None, reason="needs psql")
def test_the_shipped_script_gives_an_app_role_that_appends_but_cannot_rewrite(
    django_db_setup, django_db_blocker
):
    with django_db_blocker.unblock():
        params = connection.settings_dict
    app = _role()
    probe = PROBE.format(script=SCRIPT, app=app)
    result = subprocess.run(
        [
            "psql",
            "-X",
            "-q",
            "-tA",
            "-h",
            params["HOST"] or "127.0.0.1",
            "-p",
            str(params["PORT"] or 5432),
            "-U",
            params["USER"],
            "-d",
            params["NAME"],
            "-v",
            f"app={app}",
            "-v",
            f"owner={params['USER']}",
        ],
        input=probe,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    out, err = result.stdout, result.stderr
    assert "inserted:1" in out, out + err
    assert "read:1" in out, out + err
    assert "can-own:false" in out, out + err
    assert err.count("permission denied for table audit_auditevent") == 2, err
    assert "must be owner of table audit_auditevent" in err, err
