"""Database helpers shared by the bulk write paths, and expressions both databases run."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from typing import Any

from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Aggregate, BooleanField, F, Lookup, Model, QuerySet
from django.db.models.sql import Query
from django.db.models.sql.compiler import SQLCompiler


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


class AnyOf(Lookup):
    """``lhs = ANY(%s)``: one array parameter, whatever its length (PostgreSQL only), so
    that the query's SQL is the same for any set of values (``RowsByPk``).

    ``opaque``: the array as a subquery's result, ``ANY(ARRAY(SELECT unnest(%s)))``, whose
    length the planner does not see (it assumes a few rows)."""

    lookup_name = "any_of"
    prepare_rhs = False
    opaque = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        # The array as its text ('{1,2,3}'): a literal is parsed at once, where psycopg's
        # ARRAY[1, 2, 3] of thousands of constants took milliseconds to plan.
        rhs = f"{rhs}::{self.lhs.output_field.cast_db_type(connection)}[]"
        if self.opaque:
            rhs = f"ARRAY(SELECT unnest({rhs}))"
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


class _OpaqueAnyOf(AnyOf):
    opaque = True


class RowsByPk:
    """The rows of a ``values_list`` queryset for any set of (integer) primary keys, its
    SQL compiled once.

    Compiling a query of nested subqueries (the readiness items' flags and figures) costs
    milliseconds of Python, the same every time: only the rows asked for change. On
    PostgreSQL the primary keys are one array parameter (``AnyOf``), so the SQL, its other
    parameters and the columns' converters (``int()`` of a count, as Django applies them)
    are kept from the first call, and every later one only executes and converts. Elsewhere
    (SQLite) the queryset is filtered and run as usual. Only for querysets that depend on
    nothing but what built them (keep one per campaign, e.g. with
    ``institutions.readiness.per_campaign``).

    ``few``: up to this many keys, the planner is not told how many (``AnyOf.opaque``) and
    plans for a few rows: an index look-up per row in each correlated subquery, not a hash
    of its whole table. Told the count, PostgreSQL hashes from some dozens of rows on, which
    is right for thousands and costs twice the look-ups for a region's few hundred. Past
    ``few`` the query runs with JIT compilation off (``SET jit``, then ``RESET``): thousands
    of rows' estimate passes ``jit_above_cost``, and compiling took ten times the query
    (the country's readiness flags: 250 ms of JIT for a 30 ms query).

    Up to ``few`` keys on a persistent connection (``prepares``), the query is also a
    prepared statement of that connection (``PREPARE``, once, then ``EXECUTE``): parsing
    and planning its nested subqueries took PostgreSQL longer than running them for a
    page (the board's page of flags: 2–3 ms, 0.7 ms prepared). Its only parameter is the
    array, whose length the plan does not depend on, so PostgreSQL's generic plan (from
    the sixth run on) is the plan it would make each time.
    """

    def __init__(self, queryset: QuerySet[Any], *, few: int = 0) -> None:
        self.queryset = queryset.order_by()
        self.few = few
        self._compiled: dict[bool, _Compiled] = {}
        self._statement = ""  # the opaque query as a statement to prepare, ``$1`` its keys
        self._name = f"rows_by_pk_{next(_STATEMENT_NUMBERS)}"

    def rows(self, pks: list[Any]) -> list[tuple[Any, ...]]:
        """The rows of the given primary keys, in no particular order."""
        if not pks:
            return []
        db = connections[self.queryset.db]
        if db.vendor != "postgresql":
            return list(self.queryset.filter(pk__in=pks))
        opaque = len(pks) <= self.few
        if opaque not in self._compiled:
            self._compiled[opaque] = self._compile(_OpaqueAnyOf if opaque else AnyOf)
        sql, params, index, converters = self._compiled[opaque]
        params = list(params)
        params[index] = "{" + ",".join(str(int(pk)) for pk in pks) + "}"
        with db.cursor() as cursor:
            if opaque and prepares(db):
                self._execute_prepared(db, cursor, sql, params, index)
                rows = cursor.fetchall()
            elif opaque or not self.few:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            else:
                cursor.execute("SET jit = off")
                try:
                    cursor.execute(sql, params)
                    rows = cursor.fetchall()
                except Exception:
                    # In a transaction, its rollback undoes the SET (and takes nothing more).
                    if not db.in_atomic_block:
                        cursor.execute("RESET jit")
                    raise
                cursor.execute("RESET jit")
        return convert_rows(db, rows, converters)

    def _execute_prepared(
        self, db: BaseDatabaseWrapper, cursor: Any, sql: str, params: list[Any], index: int
    ) -> None:
        prepared = _prepared_on(db)
        if self._name not in prepared:
            if not self._statement:
                # Every other parameter as the literal the driver would send (psycopg2
                # binds on the client anyway); the keys as the statement's parameter.
                marker = "rows-by-pk-keys"
                ops: Any = db.ops  # PostgreSQL's: ``compose_sql`` is not on the base class
                literal = ops.compose_sql(sql, [*params[:index], marker, *params[index + 1 :]])
                quoted = ops.compose_sql("%s", [marker])
                if literal.count(quoted) != 1:
                    raise ValueError(f"{self._name}: the keys' parameter is not found once")
                self._statement = literal.replace(quoted, "$1")
            cursor.execute(f"PREPARE {self._name} AS {self._statement}")
            # (Not undone by a rollback: a prepared statement is the session's.)
            prepared.add(self._name)
        cursor.execute(f"EXECUTE {self._name}(%s)", [params[index]])

    def _compile(self, lookup: type[AnyOf]) -> _Compiled:
        marker: list[Any] = []
        query = self.queryset.filter(lookup(F("pk"), marker)).query
        sql, params, converters, _compiler = compile_query(query, self.queryset.db)
        (index,) = (n for n, param in enumerate(params) if param is marker)
        return sql, params, index, converters


_Compiled = tuple[str, list[Any], int, list[tuple[int, tuple[list[Any], Any]]]]


class CompiledRows:
    """The rows of a ``values_list`` queryset, its SQL compiled once: every call runs that
    SQL as compiled (the same parameters) and converts its columns as Django would.

    For a short read repeated on every request (a filter's districts and types), whose
    compiling costs more than running it. The rows are read afresh each time; only the SQL
    is kept, so the queryset must depend on nothing but what built it (no ``now()``, no
    language: keep one per set of arguments)."""

    def __init__(self, queryset: QuerySet[Any]) -> None:
        self.queryset = queryset
        # (SQL, parameters, converters), compiled on the first call.
        self._compiled: tuple[str, list[Any], _Converters] | None = None

    def rows(self) -> list[tuple[Any, ...]]:
        if self._compiled is None:
            sql, params, converters, _compiler = compile_query(
                self.queryset.query, self.queryset.db
            )
            self._compiled = (sql, params, converters)
        return fetch_rows(connections[self.queryset.db], *self._compiled)


_STATEMENT_NUMBERS = itertools.count(1)


def prepares(db: BaseDatabaseWrapper) -> bool:
    """Whether ``RowsByPk`` prepares its statements on ``db``'s connections: PostgreSQL,
    persistent connections (``CONN_MAX_AGE``; a connection per request would prepare for
    a single use), and not behind a transaction pooler (``DISABLE_SERVER_SIDE_CURSORS``,
    which Django asks for with PgBouncer's transaction pooling, where the next statement
    may go to another server connection)."""
    settings = db.settings_dict
    return (
        db.vendor == "postgresql"
        and settings.get("CONN_MAX_AGE") != 0
        and not settings.get("DISABLE_SERVER_SIDE_CURSORS")
    )


def _prepared_on(db: BaseDatabaseWrapper) -> set[str]:
    """The statements prepared on ``db``'s current connection: a new connection (after a
    reconnect, e.g. when ``CONN_MAX_AGE`` ran out or an error closed it) has none. Kept
    with the driver's connection object itself, so it is never taken for another one."""
    state: tuple[Any, set[str]] | None = getattr(db, "_rows_by_pk_prepared", None)
    if state is None or state[0] is not db.connection:
        state = (db.connection, set())
        db._rows_by_pk_prepared = state  # type: ignore[attr-defined]  # our own attribute
    return state[1]


_Converters = list[tuple[int, tuple[list[Any], Any]]]


def compile_query(query: Query, alias: str) -> tuple[str, list[Any], _Converters, SQLCompiler]:
    """``query``'s SQL and parameters as Django compiles them for ``alias``, the converters
    of its selected columns (as ``SQLCompiler.results_iter`` applies them: ``convert_row``)
    and the compiler, for those that check what it selects."""
    compiler = query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
    return sql, list(params), list(compiler.get_converters(columns).items()), compiler


def fetch_rows(
    db: BaseDatabaseWrapper, sql: str, params: list[Any], converters: _Converters
) -> list[tuple[Any, ...]]:
    """The rows of SQL that ``compile_query`` made (or built from what it made), converted."""
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return convert_rows(db, rows, converters)


def convert_rows(
    db: BaseDatabaseWrapper, rows: list[tuple[Any, ...]], converters: _Converters
) -> list[tuple[Any, ...]]:
    """Rows read by one's own cursor, their values as the ORM would have made them."""
    if not converters:
        return rows
    return [tuple(convert_row(db, row, converters)) for row in rows]


def convert_row(db: BaseDatabaseWrapper, row: Any, converters: _Converters) -> list[Any]:
    """A row's values as ``SQLCompiler.apply_converters`` makes them (``converters``:
    ``list(compiler.get_converters(columns).items())`` of the query that read it)."""
    values = list(row)
    for position, (functions, expression) in converters:
        value = values[position]
        for function in functions:
            value = function(value, expression, db)
        values[position] = value
    return values


class ModelRows:
    """A model's instances from rows of its own columns that one's own SQL reads, made as
    the ORM makes them (its columns' converters, ``Model.from_db``).

    For the reads every request makes (its session, its user): the ORM's building of even
    a one-row query cost several times the database's answer. ``columns(db, "u")`` is the
    select list, every concrete field in the model's order; a row may carry more values
    after them (``instance`` takes the first ones).
    """

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.attnames = [field.attname for field in model._meta.concrete_fields]
        self._converters: dict[str, _Converters] = {}

    def columns(self, db: BaseDatabaseWrapper, table: str) -> str:
        quote = db.ops.quote_name
        fields = self.model._meta.concrete_fields
        return ", ".join(f"{quote(table)}.{quote(field.column)}" for field in fields)

    def instance(self, db: BaseDatabaseWrapper, row: Any) -> Any:
        converters = self._converters.get(db.alias)
        if converters is None:
            table = self.model._meta.db_table
            compiler = self.model._default_manager.all().query.get_compiler(using=db.alias)
            columns = [field.get_col(table) for field in self.model._meta.concrete_fields]
            converters = self._converters[db.alias] = list(compiler.get_converters(columns).items())
        values = convert_row(db, row[: len(self.attnames)], converters)
        return self.model.from_db(db.alias, self.attnames, values)


class CompiledModels:
    """The model instances of a queryset, its SQL compiled once per process and database.

    For the few small reads every page makes (the header's campaigns): the ORM's building
    and compiling of even a one-table query cost several times the database's answer, the
    same every time. The queryset must depend on nothing but what built it (no parameter
    that changes: a date, the language, the user) and select its model's columns only (no
    ``select_related``, ``only`` or annotations). Run on every call, so a new row shows on
    the next one; the rows converted and made instances as the ORM makes them.
    """

    def __init__(self, queryset: QuerySet[Any]) -> None:
        self.queryset = queryset
        self._compiled: dict[str, tuple[str, list[Any], _Converters]] = {}
        self.attnames = [field.attname for field in queryset.model._meta.concrete_fields]

    def all(self) -> list[Any]:
        db = connections[self.queryset.db]
        compiled = self._compiled.get(db.alias)
        if compiled is None:
            compiled = self._compiled[db.alias] = self._compile(db.alias)
        model = self.queryset.model
        return [
            model.from_db(db.alias, self.attnames, values) for values in fetch_rows(db, *compiled)
        ]

    def _compile(self, alias: str) -> tuple[str, list[Any], _Converters]:
        sql, params, converters, compiler = compile_query(self.queryset.query, alias)
        columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        attnames = [getattr(getattr(column, "target", None), "attname", None) for column in columns]
        if attnames != self.attnames or compiler.annotation_col_map or compiler.klass_info is None:
            raise ValueError(f"{self.queryset.query}: not the model's own columns alone")
        if compiler.klass_info.get("related_klass_infos"):
            raise ValueError(f"{self.queryset.query}: not the model's own columns alone")
        return sql, params, converters
