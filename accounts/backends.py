"""The signed-in user of each request, read with their role in one query."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection

# Sessions signed in before ``UserBackend`` name Django's backend, which loads the user the
# same way; ``accounts.middleware.SessionBackendMiddleware`` renames them.
REPLACED_BACKENDS = frozenset({"django.contrib.auth.backends.ModelBackend"})
ROLE_GROUP_NAMES = "role_group_names"


@cache
def _user_with_groups_sql() -> str:
    """The user's row and the names of their groups (``accounts.roles``: their role)."""
    quote = connection.ops.quote_name
    user_model = get_user_model()
    through = user_model._meta.get_field("groups").remote_field.through
    group = through._meta.get_field("group").remote_field.model
    user_table, user_pk = quote(user_model._meta.db_table), quote(user_model._meta.pk.column)
    group_table, group_pk = quote(group._meta.db_table), quote(group._meta.pk.column)
    group_name = quote(group._meta.get_field("name").column)
    link_table = quote(through._meta.db_table)
    link_user = quote(through._meta.get_field("user").column)
    link_group = quote(through._meta.get_field("group").column)
    # Identifiers from the models' meta, quoted; the user's id is the query's one parameter.
    return (
        f"SELECT u.*, ARRAY(SELECT g.{group_name} FROM {group_table} g "  # noqa: S608
        f"JOIN {link_table} ug ON ug.{link_group} = g.{group_pk} "
        f"WHERE ug.{link_user} = u.{user_pk}) AS {quote(ROLE_GROUP_NAMES)} "
        f"FROM {user_table} u WHERE u.{user_pk} = %s"
    )


class UserBackend(ModelBackend):
    """Django's ``ModelBackend``; on PostgreSQL it reads the user's groups in the same
    query as the user. Every page asks the user's role (``role_of``), which was a query of
    its own on each request, and the ORM's building of the user's query cost more than
    the database's answer (this one is about half the Python of the ORM's ``get``). Read
    afresh on every request, so a changed role counts from the next one."""

    def get_user(self, user_id: Any) -> Any:
        if connection.vendor != "postgresql":
            return super().get_user(user_id)
        users = get_user_model()._default_manager.raw(_user_with_groups_sql(), [user_id])
        found = list(users)
        if not found:
            return None
        user = found[0]
        user._role_group_names = set(getattr(user, ROLE_GROUP_NAMES))
        return user if self.user_can_authenticate(user) else None
