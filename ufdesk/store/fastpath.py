"""SQLite's fast paths, in one place: planner hints, index drop and rebuild around a bulk fill,
rows straight to and from the driver, and the page cache of a long merge.

Import, packages, queries and reports ask this module instead of writing SQLite-only SQL of
their own (tests/test_layering.py holds that line). Every function is correct on any database:
on PostgreSQL (or anything else) it is plain SQLAlchemy or does nothing, so only the speed
differs. Index names come from the schema (``schema.search_index``), never from literals.
"""

from __future__ import annotations

import contextlib
import operator
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from .engine import CACHE_KIB
from .schema import search_index

LARGE_CACHE_KIB = 400_000  # SQLite's page cache while a large package is merged (everyday: CACHE_KIB)

# Filling a table with at least this many new rows rebuilds its indexes afterwards.
DEFER_INDEXES_FROM = 5000


def is_sqlite(conn: sa.Connection) -> bool:
    return conn.dialect.name == "sqlite"


# -- reading -------------------------------------------------------------------------------------
def use_search_index(stmt: Any, conn: sa.Connection, ledger: str) -> Any:
    """``stmt`` told to read the ledger's narrow live search index (``INDEXED BY``) — SQLite's
    planner cannot know how selective a substring test is. Other databases plan for themselves."""
    if not is_sqlite(conn):
        return stmt
    ix = search_index(ledger)
    return stmt.with_hint(ix.table, f'INDEXED BY "{ix.name}"', "sqlite")


def filter_first(columns: Sequence[Any], conn: sa.Connection | None) -> list[Any]:
    """Sort columns that keep SQLite from walking a sort index row by row when a filter already
    narrows the rows: ``+expr`` on all but the last, so it filters first, then sorts the few
    that match. Elsewhere the columns as they are."""
    cols = list(columns)
    if conn is None or not is_sqlite(conn):
        return cols
    return [_unindexed(c) if i < len(cols) - 1 else c for i, c in enumerate(cols)]


def _unindexed(expr: Any) -> Any:
    return sa.literal_column("+" + str(expr.compile(compile_kwargs={"literal_binds": True})))


def first_column(conn: sa.Connection, stmt: Any) -> list:
    """The first column of every row, read through the driver's own cursor (any driver):
    SQLAlchemy's row objects cost more than the query itself at 100,000 rows (≈150 ms against
    ≈30 ms)."""
    compiled = stmt.compile(conn, compile_kwargs={"render_postcompile": True})
    params: Any = compiled.construct_params()
    if compiled.positional:
        params = [params[k] for k in compiled.positiontup or ()]
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), params)
        return [r[0] for r in cursor.fetchall()]
    finally:
        cursor.close()


def stored_rows(conn: sa.Connection, stmt: Any) -> list[tuple]:
    """Rows as plain tuples. On SQLite the stored values as they are (dates stay ISO text) and
    100,000 rows skip SQLAlchemy's per-value processing — parsing every date only to print or
    count it again would double an export's time. Elsewhere SQLAlchemy's own values."""
    if not is_sqlite(conn):
        return [tuple(r) for r in conn.execute(stmt)]
    sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cur = conn.connection.cursor()  # the driver's cursor, in this connection's transaction
    try:
        cur.execute(sql)
        return cur.fetchall()
    finally:
        cur.close()


# -- writing -------------------------------------------------------------------------------------
def insert_values(conn: sa.Connection, t: sa.Table, cols: list[str], params: list[tuple]) -> None:
    """``conn.execute(sa.insert(t), rows)`` for rows of Python values; on SQLite straight to the
    driver with SQLAlchemy's own bind processors (the same stored values), skipping the per-row
    parameter compilation that costs as much as SQLite itself on a 50,000-row import. Columns
    no row fills are left out (they stay NULL or take their server default)."""
    if not params:
        return
    if not is_sqlite(conn):
        conn.execute(sa.insert(t), [dict(zip(cols, p, strict=True)) for p in params])
        return
    keep = [i for i in range(len(cols)) if any(p[i] is not None for p in params)]
    if len(keep) < len(cols):
        pick = operator.itemgetter(*keep)
        cols = [cols[i] for i in keep]
        params = [pick(p) for p in params] if len(keep) > 1 else [(pick(p),) for p in params]
    procs = [(i, p) for i, c in enumerate(cols)
             if (p := t.c[c].type.dialect_impl(conn.dialect).bind_processor(conn.dialect))]
    if procs:  # dates and times to text, as SQLAlchemy stores them: each distinct value once
        memos: list[tuple[int, Any, dict]] = [(i, proc, {}) for i, proc in procs]
        processed = []
        for p in params:
            values = list(p)
            for i, proc, memo in memos:
                v = values[i]
                if v is not None:
                    done = memo.get(v)
                    if done is None:
                        done = memo[v] = proc(v)
                    values[i] = done
            processed.append(tuple(values))
        params = processed
    _insert_driver(conn, t, cols, params)


def insert_stored(conn: sa.Connection, t: sa.Table, rows: list[dict]) -> None:
    """Rows whose values are already what the driver stores (on SQLite: ISO text for dates),
    without SQLAlchemy's per-row parameter processing."""
    if not rows:
        return
    if not is_sqlite(conn):
        conn.execute(sa.insert(t), rows)
        return
    cols = list(rows[0])
    _insert_driver(conn, t, cols, [tuple(r[c] for c in cols) for r in rows])


def insert_stored_tuples(conn: sa.Connection, t: sa.Table, cols: list[str], params: list[tuple]) -> None:
    """``insert_stored`` for rows already laid out as tuples in ``cols`` order (SQLite only:
    elsewhere the caller decodes the values and uses ``sa.insert``)."""
    if not is_sqlite(conn):
        raise ValueError("insert_stored_tuples is SQLite's fast path")
    if params:
        _insert_driver(conn, t, cols, params)


def _insert_driver(conn: sa.Connection, t: sa.Table, cols: list[str], params: list[tuple]) -> None:
    names = ", ".join(f'"{c}"' for c in cols)
    conn.exec_driver_sql(f'INSERT INTO "{t.name}" ({names}) VALUES ({", ".join("?" * len(cols))})', params)


# -- indexes around a bulk fill ---------------------------------------------------------------
def drop_indexes(conn: sa.Connection, t: sa.Table) -> list[str]:
    """Drop the table's indexes inside the caller's transaction and return the statements that
    rebuild them (exactly as the database holds them): sorting 50,000 keys once per index is
    about twice as fast as inserting them one by one into 30 indexes. SQLite's DDL is
    transactional, so a rollback (an error, Cancel) brings the indexes back with the rows.
    Only the indexes the schema declares for the table are touched; elsewhere nothing is."""
    if not is_sqlite(conn):
        return []
    declared = {ix.name for ix in t.indexes}
    found = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (t.name,)).all()
    out = []
    for name, sql in found:
        if name in declared:
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
            out.append(sql)
    return out


def rebuild_index(conn: sa.Connection, statement: str) -> None:
    """One statement ``drop_indexes`` returned."""
    conn.exec_driver_sql(statement)


@contextlib.contextmanager
def indexes_deferred(conn: sa.Connection, t: sa.Table, new_rows: int) -> Iterator[None]:
    """Filling a (nearly) empty table — a county's first import of a township — is several
    times faster when its indexes are built once afterwards instead of row by row. With few
    new rows, or a table already fuller than what comes, nothing is dropped."""
    if new_rows < DEFER_INDEXES_FROM or not is_sqlite(conn):
        yield
        return
    if conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one() > new_rows:
        yield
        return
    statements = drop_indexes(conn, t)
    yield
    for sql in statements:
        rebuild_index(conn, sql)


# -- page cache --------------------------------------------------------------------------------
def set_cache(conn: sa.Connection, *, large: bool) -> None:
    """SQLite's page cache for this connection: large while a big package is merged (its index
    pages stay in memory), back to the everyday size afterwards. Set through the driver's own
    cursor, outside SQLAlchemy's transaction handling."""
    if not is_sqlite(conn):
        return
    cur = conn.connection.cursor()
    try:
        cur.execute(f"PRAGMA cache_size=-{LARGE_CACHE_KIB if large else CACHE_KIB}")
    finally:
        cur.close()
