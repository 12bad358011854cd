"""Database helpers shared by the bulk write paths, and expressions both databases run."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.db.models import Aggregate, BooleanField


@contextlib.contextmanager
def constraints_immediate(*names: str) -> Iterator[None]:
    """Within the block the named constraints (every deferrable one when none is named)
    are checked at the end of each statement instead of at commit (PostgreSQL only).

    Django declares foreign keys ``DEFERRABLE INITIALLY DEFERRED``: a bulk write of a
    million rows queues millions of checks that all run at commit, after everything else,
    where no statement shows their cost and nothing can overlap them. Checked immediately,
    each statement pays for its own rows (one index probe per reference, the same work).
    Only for blocks whose statements write each parent before its children. On leaving,
    the constraints are deferred again (every deferrable constraint of this project is a
    Django foreign key, initially deferred).
    """
    if connection.vendor != "postgresql":
        yield
        return
    which = ", ".join(connection.ops.quote_name(name) for name in names) or "ALL"
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {which} IMMEDIATE")
    # Not reset after an error: SET CONSTRAINTS ends with the transaction, which is being
    # rolled back then (and may no longer take statements).
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {which} DEFERRED")


class Every(Aggregate):
    """True when the condition holds for every row of the group (NULL for no row):
    ``bool_and`` on PostgreSQL; on SQLite, the embedded default, which has no
    ``bool_and``, the least of the conditions' 0 and 1."""

    function = "BOOL_AND"
    name = "Every"
    output_field = BooleanField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, function="MIN", **extra_context)
