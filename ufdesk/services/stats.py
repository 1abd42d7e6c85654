"""Counts and statistics the county asks for: by township, kind, party, age band, education,
status and month; overdue proposals, open site issues past their deadline, cadre coverage."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import sqlalchemy as sa

from ..domain import COUNTY_KEY, LEDGERS
from ..domain.codes import split_multi
from ..store import Store
from ..store.schema import LEDGER_TABLES, SUB_TABLES
from . import asat

AGE_BANDS = (  # (label, youngest age, oldest age)
    ("35岁及以下", 0, 35),
    ("36-45岁", 36, 45),
    ("46-55岁", 46, 55),
    ("56-60岁", 56, 60),
    ("61岁及以上", 61, 200),
)
OPEN_ISSUE = "1"  # issue_status 整改中
CLOSED_PROPOSAL = ("60", "21")  # 办结, 不立案
ASSIGNED_OR_LATER = ("30", "40", "50")
COMMITTEE_POST = "02"  # 乡镇统战委员
LIAISON_POST = "04"  # 村(社区)统战联络员
OVERDUE_MONTHS = 3
PRESENT_STATUS = "1"  # 在册


def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(d.day, last))


def month_range(month: str) -> tuple[dt.date, dt.date]:
    """"2026-10" → (2026-10-01, 2026-10-31)."""
    y, m = (int(p) for p in month.split("-"))
    start = dt.date(y, m, 1)
    return start, add_months(start, 1) - dt.timedelta(days=1)


def last_months(n: int, today: dt.date | None = None) -> list[str]:
    """The n months ending last month, oldest first: ["2025-11", …, "2026-10"]."""
    today = today or dt.date.today()
    first = dt.date(today.year, today.month, 1)
    return [add_months(first, -i).strftime("%Y-%m") for i in range(n, 0, -1)]


def _alive(t):
    return t.c.deleted == sa.false()


def totals(store: Store) -> dict:
    """The ``ufdesk stats --json`` object: records not deleted, in all and by township."""
    out: dict = {name: 0 for name in LEDGERS}
    by: dict[str, dict[str, int]] = {}
    with store.connect() as conn:
        for name, t in LEDGER_TABLES.items():
            for tw, n in conn.execute(sa.select(t.c.township, sa.func.count()).where(_alive(t)).group_by(t.c.township)):
                key = tw or COUNTY_KEY
                by.setdefault(key, {k: 0 for k in LEDGERS})[name] = n
                out[name] += n
    for code, _ in store.townships():
        by.setdefault(code, {k: 0 for k in LEDGERS})
    out["by_township"] = dict(sorted(by.items()))
    return out


def group_count(store: Store, ledger: str, field: str, where=()) -> list[tuple[str, str, int]]:
    """``[(code, name, count)]`` of a ledger's code field (multi-code fields count each code),
    in code-table order, with codes of no record left out; unknown values at the end."""
    t = LEDGER_TABLES[ledger]
    with store.connect() as conn:
        rows = conn.execute(sa.select(t.c[field], sa.func.count()).where(_alive(t), *where).group_by(t.c[field])).all()
    return counted(store, ledger, field, rows)


def counted(store: Store, ledger: str, field: str, values) -> list[tuple[str, str, int]]:
    """``group_count``'s answer from ``(value, n)`` pairs already read."""
    f = LEDGERS[ledger].field(field)
    counts: Counter = Counter()
    for value, n in values:
        if f.type == "codes":
            for c in split_multi(value) or [None]:
                counts[c] += n
        else:
            counts[value] += n
    table = store.codebook()[f.code]
    out = [(c.code, c.name, counts.pop(c.code)) for c in table if counts.get(c.code)]
    out += [(k or "", table.name_of(k) if k else "未填", v) for k, v in counts.items() if v]
    return out


def township_count(store: Store, ledger: str, where=()) -> list[tuple[str, str, int]]:
    t = LEDGER_TABLES[ledger]
    with store.connect() as conn:
        counts = dict(conn.execute(sa.select(t.c.township, sa.func.count()).where(_alive(t), *where).group_by(t.c.township)).all())
    out = [(code, name, counts.get(code, 0)) for code, name in store.townships()]
    if counts.get(None):
        out.append((COUNTY_KEY, store.township_name(None), counts[None]))
    return out


def age_bands(store: Store, ledger: str = "representatives", where=(), today: dt.date | None = None) -> list[tuple[str, int]]:
    today = today or dt.date.today()
    t = LEDGER_TABLES[ledger]
    with store.connect() as conn:
        births = conn.execute(sa.select(t.c.birth_date).where(_alive(t), *where)).scalars().all()
    return ages_of(births, today)


def ages_of(births, today: dt.date) -> list[tuple[str, int]]:
    """People per age band on ``today``, from their birth dates (None: 未填; ISO text is read)."""
    counts = Counter()
    band = {}  # age → label, each age looked up once
    for b in births:
        if b is None:
            counts["未填"] += 1
            continue
        if isinstance(b, str):
            b = dt.date.fromisoformat(b[:10])
        age = today.year - b.year - ((today.month, today.day) < (b.month, b.day))
        label = band.get(age)
        if label is None:
            label = band[age] = next(label for label, lo, hi in AGE_BANDS if lo <= age <= hi)
        counts[label] += 1
    out = [(label, counts[label]) for label, _, _ in AGE_BANDS]
    if counts["未填"]:
        out.append(("未填", counts["未填"]))
    return out


def present_filter(store: Store, on: dt.date | None = None) -> dict:
    """The people in the register on ``on`` (default today) by DOMAIN.md's as-at rule, as a
    ledger query's filter: 认定时间 ≤ that day and not left by then — not merely 状态 在册."""
    with store.connect() as conn:
        return asat.register_filter(conn, on or dt.date.today())


def present_reps(filters: dict | None = None) -> tuple:
    """SQL conditions for ``present_filter``'s people (without one: 状态 在册 today)."""
    t = LEDGER_TABLES["representatives"]
    if filters is None:
        return (t.c.status == PRESENT_STATUS,)
    _op, (on, still) = filters["status"]
    return asat.register_where(on, tuple(still))


def per_month(store: Store, ledger: str, months: list[str], where=()) -> list[tuple[str, int]]:
    """Records per month of the ledger's date field, for the given months."""
    lg = LEDGERS[ledger]
    t = LEDGER_TABLES[ledger]
    col = t.c[lg.date_field]
    start, _ = month_range(months[0])
    _, end = month_range(months[-1])
    with store.connect() as conn:
        dates = conn.execute(sa.select(col).where(_alive(t), col.between(start, end), *where)).scalars().all()
    counts = Counter(d.strftime("%Y-%m") for d in dates if d)
    return [(m, counts.get(m, 0)) for m in months]


def overdue_proposals(store: Store, today: dt.date | None = None) -> list[dict]:
    """政协提案 and 人大建议 assigned (交办) more than three months before ``today`` and not 办结
    by then: the status of each as at that day (its last step dated on or before it)."""
    today = today or dt.date.today()
    t = LEDGER_TABLES["proposals"]
    limit = add_months(today, -OVERDUE_MONTHS)
    with store.connect() as conn:
        rows = asat.proposal_steps(conn, (t.c.kind.in_(("1", "2")), t.c.assigned_on.is_not(None),
                                          t.c.assigned_on < limit))
    out = []
    for r in rows:
        status = asat.status_on(r, today)
        if status in ASSIGNED_OR_LATER:
            out.append({k: v for k, v in r.items() if k != "steps"} | {"status": status})
    out.sort(key=lambda r: (r["assigned_on"], r["id"]))
    return out


def overdue_filter(today: dt.date | None = None) -> dict:
    """The same as ``overdue_proposals``, as filters for a ledger query."""
    today = today or dt.date.today()
    return {
        "kind": ("in", ("1", "2")),
        "status": ("in", ASSIGNED_OR_LATER),
        "assigned_on": ("<", add_months(today, -OVERDUE_MONTHS)),
    }


def open_issues(store: Store, *, overdue_only: bool = False, today: dt.date | None = None) -> list[dict]:
    """Open 问题台账 rows with their site's name and township; overdue ones first."""
    today = today or dt.date.today()
    it = SUB_TABLES["site_issues"]
    st = LEDGER_TABLES["sites"]
    conds = [it.c.deleted == sa.false(), st.c.deleted == sa.false(), it.c.status == OPEN_ISSUE]
    if overdue_only:
        conds.append(it.c.deadline < today)
    with store.connect() as conn:
        rows = conn.execute(
            sa.select(it, st.c.name.label("site_name"), st.c.uuid.label("site_uuid"), st.c.township.label("site_township"))
            .join(st, st.c.uuid == it.c.parent)
            .where(*conds)
            .order_by(it.c.deadline.is_(None), it.c.deadline)
        ).mappings().all()
    out = [dict(r) for r in rows]
    for r in out:
        r["overdue"] = bool(r["deadline"] and r["deadline"] < today)
    return out


def _serving(t, on: dt.date):
    return (
        t.c.deleted == sa.false(),
        sa.or_(t.c.left_on.is_(None), t.c.left_on > on),
        sa.or_(t.c.appointed_on.is_(None), t.c.appointed_on <= on),
    )


def coverage(store: Store, on: dt.date | None = None, township: str | None = None) -> dict:
    """Which townships lack a serving 统战委员 and which villages a 联络员 — of the county, or of
    one ``township`` (what a township's own PC shows)."""
    on = on or dt.date.today()
    t = LEDGER_TABLES["cadres"]
    with store.connect() as conn:
        with_committee = set(
            conn.execute(sa.select(t.c.township).where(*_serving(t, on), t.c.post == COMMITTEE_POST)).scalars()
        )
        with_liaison = set(conn.execute(sa.select(t.c.village).where(*_serving(t, on), t.c.post == LIAISON_POST)).scalars())
    names = dict(store.townships())
    towns = [(c, n) for c, n in store.townships() if township is None or c == township]
    villages = store.villages(township)
    return {
        "townships_without_committee": [(c, n) for c, n in towns if c not in with_committee],
        "villages_without_liaison": [(c, names.get(tw, tw), n) for c, tw, n in villages if c not in with_liaison],
        "townships": len(towns),
        "villages": len(villages),
    }


def cadre_changes(store: Store, month: str) -> dict:
    start, end = month_range(month)
    t = LEDGER_TABLES["cadres"]
    with store.connect() as conn:
        came = conn.execute(sa.select(t).where(_alive(t), t.c.appointed_on.between(start, end))).mappings().all()
        went = conn.execute(sa.select(t).where(_alive(t), t.c.left_on.between(start, end))).mappings().all()
    return {"appointed": [dict(r) for r in came], "left": [dict(r) for r in went]}


def rep_changes(store: Store, month: str) -> dict:
    """Representatives entering the register (认定时间, or the day entered when it is empty) and
    leaving it (退出时间, or the day 退出/去世 was set when it is empty) in a month."""
    start, end = month_range(month)
    with store.connect() as conn:
        added, left = asat.register_changes(conn, start, end)
    return {"added": added, "left": left}


def register_count(store: Store, on: dt.date) -> int:
    """People in the register on day ``on`` (see ``asat``)."""
    with store.connect() as conn:
        return asat.register_count(conn, on)


def shares(values: list[int], total: int | None = None, digits: int = 1) -> list[str]:
    """Percentages of ``total`` (default: their sum) as "12.3%", rounded by largest remainder
    so that, when the values make up the total, the shown figures add up to exactly 100.0%.
    (A multi-valued count — one person of several kinds — is rounded plainly.)"""
    total = sum(values) if total is None else total
    if not total:
        return ["—" for _v in values]
    scale = 10 ** digits
    exact = [v * 100 * scale / total for v in values]
    if sum(values) != total:
        return [f"{round(x) / scale:.{digits}f}%" for x in exact]
    floors = [int(x) for x in exact]
    short = 100 * scale - sum(floors)
    for i in sorted(range(len(values)), key=lambda i: (floors[i] - exact[i], i))[:short]:
        floors[i] += 1
    return [f"{f / scale:.{digits}f}%" for f in floors]
