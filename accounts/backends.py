"""The signed-in user of each request, read with their role in one query."""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Field, Model

from accounts.models import User
from census_coord.db import ModelRows

# Sessions signed in before ``UserBackend`` name Django's backend, which loads the user the
# same way; ``accounts.middleware.SessionBackendMiddleware`` renames them.
REPLACED_BACKENDS = frozenset({"django.contrib.auth.backends.ModelBackend"})
ROLE_GROUP_NAMES = "role_group_names"
_USERS = ModelRows(User)


def _column(model: type[Model], name: str) -> str:
    return connection.ops.quote_name(cast("Field[Any, Any]", model._meta.get_field(name)).column)


@cache
def _user_with_groups_sql() -> str:
    """The user's row and the names of their groups (``accounts.roles``: their role)."""
    quote = connection.ops.quote_name
    link = User.groups.through
    # Identifiers from the models' meta, quoted; the user's id is the query's one parameter.
    return (
        f"SELECT {_USERS.columns(connection, 'u')}, "  # noqa: S608
        f"ARRAY(SELECT g.{_column(Group, 'name')} "
        f"FROM {quote(Group._meta.db_table)} g JOIN {quote(link._meta.db_table)} ug "
        f"ON ug.{_column(link, 'group')} = g.{_column(Group, 'id')} "
        f"WHERE ug.{_column(link, 'user')} = u.{_column(User, 'id')}) "
        f"AS {quote(ROLE_GROUP_NAMES)} "
        f"FROM {quote(User._meta.db_table)} u WHERE u.{_column(User, 'id')} = %s"
    )


class UserBackend(ModelBackend):
    """Django's ``ModelBackend``; on PostgreSQL it reads the user's groups in the same
    query as the user. Every page asks the user's role (``role_of``), which was a query of
    its own on each request, and the ORM's building of the user's query cost more than
    the database's answer (here a cursor's row, made a ``User`` as the ORM makes it:
    ``census_coord.db.ModelRows``). Read afresh on every request, so a changed role
    counts from the next one."""

    def get_user(self, user_id: Any) -> Any:
        if connection.vendor != "postgresql":
            return super().get_user(user_id)
        with connection.cursor() as cursor:
            cursor.execute(_user_with_groups_sql(), [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        user = _USERS.instance(connection, row)
        user._role_group_names = set(row[-1])
        return user if self.user_can_authenticate(user) else None
