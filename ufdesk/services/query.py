"""Listing a ledger: filter, sort and page — all in SQL, so 100,000 rows stay fast.

The free-text filter is a substring match (``LIKE``) over the record's search column, which
holds its name-like fields: it finds 1- and 2-character Chinese queries such as 伟, which a
trigram index would silently miss. Every sortable column carries an index.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..domain import COUNTY_KEY, LEDGERS
from ..store import fastpath
from ..store.fastpath import first_column
from ..store.schema import LEDGER_TABLES

# A filter value may be a plain value (equality; for multi-code fields: contains the code) or
# a tuple (op, value) with op one of these.
_OPS = {
    "=": lambda c, v: c == v,
    "!=": lambda c, v: c != v,
    "<": lambda c, v: c < v,
    "<=": lambda c, v: c <= v,
    ">": lambda c, v: c > v,
    ">=": lambda c, v: c >= v,
    "in": lambda c, v: c.in_(list(v)),
    "null": lambda c, v: c.is_(None),
    "notnull": lambda c, v: c.is_not(None),
    "between": lambda c, v: c.between(v[0], v[1]),
    # representatives in the register on a day: (day, uuids of undated leavers still in it) —
    # see services.asat.register_filter; the column it is keyed on (status) is not used alone
    "register_on": lambda _c, v: sa.and_(*_register_where(*v)),
}


def _register_where(day, still):
    from .asat import register_where

    return register_where(day, tuple(still))


@dataclass
class Query:
    """What a table shows: a ledger, filtered and sorted."""

    ledger: str
    text: str = ""
    township: str | None = None  # a 9-digit code, "county" for 县直, None for all
    filters: dict = field(default_factory=dict)
    sort: str | None = None  # a field name; None: the ledger's default order
    desc: bool = False
    include_deleted: bool = False


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def where_clause(q: Query) -> list:
    t = LEDGER_TABLES[q.ledger]
    lg = LEDGERS[q.ledger]
    conds = []
    if not q.include_deleted:
        conds.append(t.c.deleted == sa.false())  # the form the partial sort indexes name
    text = " ".join(q.text.split()) if q.text else ""
    if text:
        for word in text.split(" "):
            # A plain substring test: finds 1- and 2-character queries (伟) exactly as LIKE does.
            conds.append(t.c.search.contains(word, autoescape=True))
    if q.township == COUNTY_KEY:
        conds.append(t.c.township.is_(None))
    elif q.township:
        conds.append(t.c.township == q.township)
    for name, value in q.filters.items():
        col = t.c[name]
        f = next((f for f in lg.fields if f.name == name), None)
        if isinstance(value, tuple) and value and value[0] in _OPS:
            conds.append(_OPS[value[0]](col, value[1] if len(value) > 1 else None))
        elif f is not None and f.type == "codes":
            conds.append(col.like(f"%,{escape_like(str(value))},%", escape="\\"))
        elif value is None:
            conds.append(col.is_(None))
        else:
            conds.append(col == value)
    return conds


def _narrowed(q: Query) -> bool:
    return bool(q.text.strip() if q.text else False) or bool(q.filters) or q.township is not None


def _scans_search_index(q: Query) -> bool:
    lg = LEDGERS[q.ledger]
    multi = {f.name for f in lg.fields if f.type == "codes"}
    return bool(q.text and q.text.strip()) or any(k in multi and not isinstance(v, tuple) for k, v in q.filters.items())


def _search_index_covers(q: Query) -> bool:
    """A text or category filter in the default name order, with nothing else asked: every
    column the query needs is in the live search index."""
    lg = LEDGERS[q.ledger]
    multi = {f.name for f in lg.fields if f.type == "codes"}
    name_sort = q.sort in (None, lg.title, "sk_stroke") if lg.person else q.sort in (lg.title, "pinyin")
    return (_scans_search_index(q) and name_sort and q.township is None
            and all(k in multi and not isinstance(v, tuple) for k, v in q.filters.items()))


def _finish(stmt, conn: sa.Connection, q: Query, *, filter_first: bool = True):
    """Text and category filters read the narrow live search index instead of the wide rows
    (a planner hint where the database needs one: store/fastpath)."""
    if filter_first and _scans_search_index(q) and not q.include_deleted:
        stmt = fastpath.use_search_index(stmt, conn, q.ledger)
    return stmt


def order_clause(q: Query, conn: sa.Connection | None = None, *, filter_first: bool = True) -> list:
    cols = _order_columns(q)
    if filter_first and _narrowed(q):
        return fastpath.filter_first(cols, conn)
    return cols


# Below this many matches, a filtered list is sorted after filtering (a row lookup per match);
# above it, the order comes from the live sort index and the matches are picked out of it.
FEW_MATCHES = 5000


def _order_columns(q: Query) -> list:
    t = LEDGER_TABLES[q.ledger]
    lg = LEDGERS[q.ledger]
    sort = q.sort
    if sort is None:
        if lg.person:
            return [t.c.sk_stroke, t.c.id]
        return [t.c[lg.date_field].desc(), t.c.id.desc()] if lg.date_field else [t.c.sk_pinyin, t.c.id]
    if sort == lg.title or sort == "sk_stroke":
        col = t.c.sk_stroke if lg.person else t.c.sk_pinyin
    elif sort == "pinyin":
        col = t.c.sk_pinyin
    else:
        col = t.c[sort]
    if sort == "sort_no":  # 排序号 first, then those without one 按姓氏笔画
        return [sa.func.coalesce(t.c.sort_no, sa.literal_column("999999999")), t.c.sk_stroke, t.c.id]
    if sort == "township":  # by township, and within one by name, as rosters are kept
        name = t.c.sk_stroke if lg.person else t.c.sk_pinyin
        cols = [t.c.township, name, t.c.id]
        return [c.desc() for c in cols] if q.desc else cols
    if q.desc:
        return [col.desc(), t.c.id.desc()]
    return [col, t.c.id]


def select_ids(conn: sa.Connection, q: Query) -> list[int]:
    """Every matching id in order — what a table model keeps (100,000 ints are cheap).

    Neither step reads the wide rows when it can help it: the matching ids come from an index
    (the live search index for text and categories), the order from the column's live sort
    index, and the two meet in a set — about 50 ms at 100,000 rows for any sort and filter."""
    t = LEDGER_TABLES[q.ledger]
    where = where_clause(q)
    if not _narrowed(q) or q.include_deleted:
        return first_column(conn, sa.select(t.c.id).where(*where).order_by(*order_clause(q, conn, filter_first=False)))
    if _search_index_covers(q) and fastpath.is_sqlite(conn):
        # The search index holds the name key too: filter and sort read that index alone.
        return first_column(conn, _finish(sa.select(t.c.id).where(*where).order_by(*order_clause(q, conn)), conn, q))
    matching = first_column(conn, _finish(sa.select(t.c.id).where(*where), conn, q))
    if len(matching) <= FEW_MATCHES:
        stmt = sa.select(t.c.id).where(t.c.id.in_(matching)).order_by(*order_clause(q, conn))
        return first_column(conn, stmt) if matching else []
    ordered = first_column(conn, sa.select(t.c.id).where(t.c.deleted == sa.false())
                          .order_by(*order_clause(Query(q.ledger, sort=q.sort, desc=q.desc), conn)))
    wanted = set(matching)
    return [i for i in ordered if i in wanted]


def count(conn: sa.Connection, q: Query) -> int:
    t = LEDGER_TABLES[q.ledger]
    stmt = _finish(sa.select(sa.func.count()).select_from(t).where(*where_clause(q)), conn, q)
    return conn.execute(stmt).scalar_one()


def page(conn: sa.Connection, q: Query, offset: int = 0, limit: int = 200, columns=None) -> list[dict]:
    """One page of rows. With many matches the sort index is walked until the page is full
    (matches are dense); with few, the matches are found first and then sorted."""
    t = LEDGER_TABLES[q.ledger]
    cols = [t.c[c] for c in columns] if columns else [t]
    filter_first = _narrowed(q) and count(conn, q) <= FEW_MATCHES
    stmt = (sa.select(*cols).where(*where_clause(q)).order_by(*order_clause(q, conn, filter_first=filter_first))
            .offset(offset).limit(limit))
    return [dict(r) for r in conn.execute(_finish(stmt, conn, q, filter_first=filter_first)).mappings()]


def rows_by_ids(conn: sa.Connection, ledger: str, ids: list[int], columns=None) -> dict[int, dict]:
    t = LEDGER_TABLES[ledger]
    cols = [t.c.id, *[t.c[c] for c in columns]] if columns else [t]
    out: dict[int, dict] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for r in conn.execute(sa.select(*cols).where(t.c.id.in_(chunk))).mappings():
            out[r["id"]] = dict(r)
    return out


def age_band_filter(band: str, today: dt.date | None = None) -> tuple:
    """The birth-date range of an age band such as "35岁及以下", "36-45岁", "61岁及以上"."""
    from .stats import AGE_BANDS

    today = today or dt.date.today()
    for label, lo, hi in AGE_BANDS:
        if label == band:
            newest = dt.date(today.year - lo, today.month, min(today.day, 28))
            oldest = dt.date(today.year - hi - 1, today.month, min(today.day, 28)) if hi < 200 else dt.date(1800, 1, 1)
            return ("between", (oldest, newest))
    raise KeyError(band)
