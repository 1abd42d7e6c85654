"""Figures as at a day (DOMAIN.md, "Figures as at a date").

A report for a month describes the month's last day, whatever has been typed since:

* a person is in the register on day D when 认定时间 ≤ D (an empty 认定时间 counts as the day
  the record was entered) and 退出时间 is empty or later than D; 状态 退出/去世 with no 退出时间
  counts from the day that status was set (the audit log's last change of it, else the day
  the record was entered);
* a site issue is open on D when found ≤ D and not closed by D (销号日期, or for a 已销号 row
  without one the day the row was last changed);
* a proposal's status on D is its last step dated ≤ D, along the path that leads to its status
  today (提交 → 立案 → 交办 → 办理 → 答复 → 办结, or 提交 → 不立案); an undated step of today's
  status counts from the day that status was set, 提交 without a date from the day entered.

Attributes (party, kinds, education) are today's values: the reports say so.
"""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from ..store.schema import LEDGER_TABLES, SUB_TABLES, audit

LEFT_STATUSES = ("2", "3")  # 退出, 去世
OPEN_ISSUE = "1"
# proposal status → the column holding the day it was reached
STEP_DATES = {"10": "submitted_on", "20": "filed_on", "21": "filed_on", "30": "assigned_on", "40": "handling_on",
              "50": "replied_on", "60": "closed_on"}
PATH = ("10", "20", "30", "40", "50", "60")
REFUSED_PATH = ("10", "21")


def day_after(d: dt.date) -> dt.datetime:
    """The first moment after day ``d``: timestamps before it fall on or before ``d``."""
    return dt.datetime.combine(d + dt.timedelta(days=1), dt.time())


def _date(v) -> dt.date | None:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def status_set_on(conn, ledger: str, created: dict[str, dt.datetime | None]) -> dict[str, dt.date | None]:
    """The day each record's status was last changed (audit log), else the day it was entered.
    ``created``: {uuid: created_at} of the records asked about."""
    out = {u: _date(c) for u, c in created.items()}
    uuids = list(created)
    for i in range(0, len(uuids), 500):
        part = uuids[i:i + 500]
        rows = conn.execute(sa.select(audit.c.record, audit.c.at, audit.c.details).where(
            audit.c.record.in_(part), audit.c.ledger == ledger, audit.c.details.like('%"status"%'))
            .order_by(audit.c.at, audit.c.id)).all()
        for uuid, at, details in rows:
            try:
                if "status" in json.loads(details):
                    out[uuid] = _date(at)
            except (TypeError, ValueError):
                continue
    return out


# -- the register -----------------------------------------------------------------------------
def entered_by(t, d: dt.date):
    """认定时间 ≤ D; an empty one counts as the day the record was entered."""
    return sa.or_(t.c.recognized_on <= d, sa.and_(t.c.recognized_on.is_(None), t.c.created_at < day_after(d)))


def undated_left(conn) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """{uuid: (the day 退出/去世 was set, the day entered)} of people who left without a 退出时间."""
    t = LEDGER_TABLES["representatives"]
    # by the status index (few rows): "left_on IS NULL" as such would walk the left_on index over
    # most of the table, so it is written as an expression no index answers
    no_date = sa.case((t.c.left_on.is_(None), 1), else_=0) == 1
    rows = conn.execute(sa.select(t.c.uuid, t.c.created_at, t.c.recognized_on).where(
        t.c.deleted == sa.false(), t.c.status.in_(LEFT_STATUSES), no_date)).all()
    if not rows:
        return {}
    gone = status_set_on(conn, "representatives", {u: c for u, c, _r in rows})
    return {u: (gone.get(u), rec or _date(c)) for u, c, rec in rows}


def still_on(undated: dict, d: dt.date) -> tuple[str, ...]:
    """Of the people who left without a 退出时间, those still in the register on day D."""
    return tuple(sorted(u for u, (gone, _e) in undated.items() if gone is None or gone > d))


def register_where(d: dt.date, still: tuple[str, ...] = ()) -> tuple:
    """Conditions on ``representatives`` for "in the register on day D", given ``still_on``
    (no database access: a ledger query's filter can carry it)."""
    t = LEDGER_TABLES["representatives"]
    stayed = sa.or_(t.c.status.is_(None), t.c.status.not_in(LEFT_STATUSES))
    if still:
        stayed = sa.or_(stayed, t.c.uuid.in_(list(still)))
    return (t.c.deleted == sa.false(), entered_by(t, d), sa.or_(t.c.left_on > d, sa.and_(t.c.left_on.is_(None), stayed)))


def register_filter(conn, d: dt.date) -> dict:
    """"In the register on day D" as a ledger query's filter (``services.query``): what the
    home page's 在册 figure opens, the same people it counts."""
    return {"status": ("register_on", (d, still_on(undated_left(conn), d)))}


def register_on(conn, d: dt.date, undated: dict | None = None) -> tuple:
    """Conditions on ``representatives`` for "in the register on day D"."""
    undated = undated_left(conn) if undated is None else undated
    return register_where(d, still_on(undated, d))


def register_count(conn, d: dt.date, undated: dict | None = None) -> int:
    """How many are in the register on day D: those entered by then, less those of them gone by
    then — the same people as ``register_on``, counted along the date indexes instead of a
    pass over every row (a 100,000-person county)."""
    t = LEDGER_TABLES["representatives"]
    undated = undated_left(conn) if undated is None else undated
    alive = t.c.deleted == sa.false()

    def count(*where) -> int:
        return conn.execute(sa.select(sa.func.count()).select_from(t).where(alive, *where)).scalar_one()

    entered = count(t.c.recognized_on <= d) + count(t.c.recognized_on.is_(None), t.c.created_at < day_after(d))
    left = count(t.c.left_on <= d, entered_by(t, d))
    gone = sum(1 for g, e in undated.values() if g is not None and g <= d and e is not None and e <= d)
    return entered - left - gone


# what a line of the month's 新认定/退出 lists needs (not the whole wide row)
CHANGE_COLUMNS = ("id", "uuid", "name", "gender", "township", "kinds", "employer", "position", "recognized_on",
                  "left_on", "left_reason", "status", "sk_stroke", "created_at")


def register_changes(conn, start: dt.date, end: dt.date, undated: dict | None = None) -> tuple[list[dict], list[dict]]:
    """People entering the register (认定) and leaving it within [start, end], as rows."""
    t = LEDGER_TABLES["representatives"]
    alive = t.c.deleted == sa.false()
    undated = undated_left(conn) if undated is None else undated

    cols = [t.c[c] for c in CHANGE_COLUMNS]

    def rows(*where) -> list[dict]:
        return [dict(r) for r in conn.execute(sa.select(*cols).where(alive, *where)).mappings()]

    came = rows(t.c.recognized_on.between(start, end)) + rows(
        t.c.recognized_on.is_(None), t.c.created_at >= day_after(start - dt.timedelta(days=1)),
        t.c.created_at < day_after(end))
    gone_undated = [u for u, (gone, _e) in undated.items() if gone is not None and start <= gone <= end]
    went = rows(t.c.left_on.between(start, end)) + (rows(t.c.uuid.in_(gone_undated)) if gone_undated else [])
    return _by_stroke(came), _by_stroke(went)


def _by_stroke(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (r["sk_stroke"] or "", r["id"]))


# -- site issues ------------------------------------------------------------------------------
def _closed_by(it, d: dt.date):
    """Closed on or before D: never NULL (it is negated), so each test is spelt out."""
    return sa.or_(sa.and_(it.c.closed_on.is_not(None), it.c.closed_on <= d),
                  sa.and_(it.c.closed_on.is_(None), sa.func.coalesce(it.c.status, OPEN_ISSUE) != OPEN_ISSUE,
                          it.c.updated_at.is_not(None), it.c.updated_at < day_after(d)))


def issue_open_on(it, d: dt.date) -> tuple:
    """Conditions on ``site_issues`` for "open on day D"."""
    return (it.c.deleted == sa.false(), it.c.found_on <= d, sa.not_(_closed_by(it, d)))


def issue_closed_between(it, start: dt.date, end: dt.date):
    return sa.and_(_closed_by(it, end), sa.not_(_closed_by(it, start - dt.timedelta(days=1))))


# -- proposals --------------------------------------------------------------------------------
PROPOSAL_COLUMNS = ("uuid", "kind", "status", "created_at", *dict.fromkeys(STEP_DATES.values()))


def proposal_steps(conn, where=()) -> list[dict]:
    """Every live proposal with ``steps`` = [(status, day)] along the path to today's status,
    each day as the rule above gives it (None: not dated, never counted)."""
    t = LEDGER_TABLES["proposals"]
    rows = [dict(r) for r in conn.execute(sa.select(t).where(t.c.deleted == sa.false(), *where)).mappings()]
    undated = {r["uuid"]: r["created_at"] for r in rows
               if (r["status"] or "10") != "10" and r.get(STEP_DATES.get(r["status"], "")) is None}
    set_on = status_set_on(conn, "proposals", undated) if undated else {}
    for r in rows:
        current = r["status"] if r["status"] in STEP_DATES else "10"
        path = REFUSED_PATH if current == "21" else PATH[:PATH.index(current) + 1]
        steps = []
        for code in path:
            day = r.get(STEP_DATES[code])
            if day is None and code == "10":
                day = _date(r["created_at"])
            elif day is None and code == current:
                day = set_on.get(r["uuid"])
            steps.append((code, day))
        r["steps"] = steps
    return rows


def status_on(p: dict, d: dt.date) -> str | None:
    """The proposal's status on day D; None before it was submitted."""
    out = None
    for code, day in p["steps"]:
        if day is not None and day <= d:
            out = code
    return out


def step_day(p: dict, code: str) -> dt.date | None:
    return next((day for c, day in p["steps"] if c == code), None)


def open_issue_rows(conn, d: dt.date, where=()) -> list[dict]:
    """Issues open on day D with their site's name and township; by deadline."""
    it, st = SUB_TABLES["site_issues"], LEDGER_TABLES["sites"]
    rows = conn.execute(
        sa.select(it, st.c.name.label("site_name"), st.c.uuid.label("site_uuid"), st.c.township.label("site_township"))
        .join(st, st.c.uuid == it.c.parent)
        .where(*issue_open_on(it, d), st.c.deleted == sa.false(), *where)
        .order_by(it.c.deadline.is_(None), it.c.deadline, it.c.found_on, it.c.id)).mappings().all()
    out = [dict(r) for r in rows]
    for r in out:
        r["overdue"] = bool(r["deadline"] and r["deadline"] < d)
        r["status"] = OPEN_ISSUE  # as it stood that day
    return out
