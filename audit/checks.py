"""Deployment check: the application's database role must not be able to rewrite the trail.

The append-only trigger (migration 0002) stops UPDATE, DELETE and TRUNCATE, but the
table's owner (or a superuser) can ``ALTER TABLE ... DISABLE TRIGGER`` and then do all
three. In production the tables belong to a migration-owner role and the application
connects as a role with only INSERT and SELECT on the audit table (``scripts/db_roles.sql``).

Tagged ``database``: ``check --deploy`` runs it only with ``--database default``, as the
production start does (``census_coord.startup``); ``migrate`` (run by the owner) never
runs deployment checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register
from django.db import connections

from audit.models import AuditEvent

# Can the connected role act as the table's owner, or is it a superuser?
OWNER_QUERY = """
SELECT pg_has_role(current_user, c.relowner, 'MEMBER'), r.rolsuper
FROM pg_class c, pg_roles r
WHERE c.oid = to_regclass(%s) AND r.rolname = current_user
"""


def audit_table_rewritable(alias: str = "default") -> bool:
    """Could the role of connection ``alias`` disable the audit table's trigger?"""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(OWNER_QUERY, [AuditEvent._meta.db_table])
        row = cursor.fetchone()
    return row is not None and (row[0] or row[1])


@register(Tags.security, Tags.database, deploy=True)
def check_audit_table_owner(
    app_configs: Any = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for alias in databases or ():
        if audit_table_rewritable(alias):
            errors.append(
                Error(
                    "The application's database user owns the audit table (or is a "
                    "superuser), so it could disable the append-only trigger.",
                    hint=(
                        "Run the application as the role scripts/db_roles.sql creates "
                        "(INSERT and SELECT on the audit table); run migrations as the "
                        "owner role."
                    ),
                    id="audit.E001",
                )
            )
    return errors
