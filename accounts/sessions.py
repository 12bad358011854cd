"""Django's database sessions (the same table and rows), read by one lighter query."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection

from census_coord.clock import wall_now
from census_coord.db import ModelRows

_SESSIONS = ModelRows(Session)


@cache
def _session_sql() -> str:
    quote, meta = connection.ops.quote_name, Session._meta
    key, expires = meta.get_field("session_key").column, meta.get_field("expire_date").column
    # Identifiers from the model's meta, quoted; the key and the time are parameters.
    return (
        f"SELECT {_SESSIONS.columns(connection, meta.db_table)} "  # noqa: S608
        f"FROM {quote(meta.db_table)} "
        f"WHERE {quote(key)} = %s AND {quote(expires)} > %s"
    )


class SessionStore(db.SessionStore):
    """``django.contrib.sessions.backends.db``; the session of each request is read by a
    query of its own (``census_coord.db.ModelRows``) instead of the ORM's ``get``, whose
    building cost more than the database's answer on every request. The same rule: the
    key's row, unless it has expired (by the real time, as Django's store: a fixed census
    date does not keep sessions alive)."""

    def _get_session_from_db(self) -> Any:
        now = connection.ops.adapt_datetimefield_value(wall_now())
        with connection.cursor() as cursor:
            cursor.execute(_session_sql(), [self.session_key, now])
            row = cursor.fetchone()
        if row is not None:
            return _SESSIONS.instance(connection, row)
        self._session_key = None
        return None
