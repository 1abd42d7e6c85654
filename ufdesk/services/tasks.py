"""重点任务推进: which tasks are done, under way or late (滞后) on a day, and who has not
reported this month's 进展 — read from the ``tasks`` ledger, never stored.

A task is **滞后 on day D** when D is past its 完成时限 (the day after the deadline, not the
deadline itself) and on D it is neither 已完成 (状态 已完成 with a 完成日期 on or before D)
nor 取消. 取消 is today's value (the ledger keeps no date for it). A task is **按期完成**
when it is 已完成 with a 完成日期 on or before its 完成时限.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import sqlalchemy as sa

from ..domain import COUNTY_KEY
from ..store.schema import LEDGER_TABLES, SUB_TABLES

NOT_STARTED, IN_PROGRESS, DONE, CANCELLED = "1", "2", "3", "4"
STATE_LABELS = {"done": "已完成", "late": "滞后", "in_progress": "推进中", "not_started": "未启动", "cancelled": "取消"}


def state_on(task: dict, on: dt.date) -> str:
    """``done`` / ``cancelled`` / ``late`` / ``in_progress`` / ``not_started`` of a task on ``on``."""
    status = task.get("status")
    if status == CANCELLED:
        return "cancelled"
    if status == DONE and (task.get("done_on") or on) <= on:
        return "done"
    deadline = task.get("deadline")
    if deadline is not None and deadline < on:
        return "late"
    if status == NOT_STARTED:
        return "not_started"
    return "in_progress"


def is_late(task: dict, on: dt.date) -> bool:
    return state_on(task, on) == "late"


def on_time(task: dict) -> bool:
    """已完成 with a 完成日期 no later than the 完成时限."""
    return (task.get("status") == DONE and task.get("done_on") is not None and task.get("deadline") is not None
            and task["done_on"] <= task["deadline"])


def late_condition(t, on: dt.date):
    """The SQL form of ``is_late`` (for counting and for the tables' filters)."""
    done_by = sa.and_(t.c.status == DONE, sa.or_(t.c.done_on.is_(None), t.c.done_on <= on))
    return sa.and_(t.c.deadline < on, sa.or_(t.c.status.is_(None), t.c.status != CANCELLED), sa.not_(done_by))


# -- 序号 ------------------------------------------------------------------------------------------
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}  # ①…⑳


def _cn_number(text: str) -> int | None:
    if not text or any(ch not in _CN_DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


def seq_key(seq: str | None) -> tuple[int, str]:
    """Sort key of a 序号 as offices write it: 一、 / 1、 / 1. / (1) / （一） / ① → its number."""
    text = (seq or "").strip()
    core = re.sub(r"[\s、.．。()（）\[\]【】]", "", text)
    if core in _CIRCLED:
        return _CIRCLED[core], text
    if core.isdigit():
        return int(core), text
    n = _cn_number(core)
    if n is not None:
        return n, text
    m = re.match(r"\d+", core)
    return (int(m.group()) if m else 10**6), text


# -- reading -------------------------------------------------------------------------------------
def load(store, year: int, *, township: str | None = None, progress: bool = True) -> list[dict]:
    """The year's live tasks in 推进表 order (each parent followed by its sub-tasks, by 序号),
    each with ``depth`` and, when asked, ``progress`` = its live 进展 rows by month."""
    t = LEDGER_TABLES["tasks"]
    conds = [t.c.deleted.is_(False), t.c.year == year]
    if township == COUNTY_KEY:
        conds.append(t.c.township.is_(None))
    elif township:
        conds.append(t.c.township == township)
    with store.connect() as conn:
        rows = [dict(r) for r in conn.execute(sa.select(t).where(*conds)).mappings()]
        by_task: dict[str, list[dict]] = defaultdict(list)
        if progress and rows:
            p = SUB_TABLES["task_progress"]
            stmt = (sa.select(p.c.parent, p.c.uuid, p.c.month, p.c.progress, p.c.reporter, p.c.reported_on)
                    .join(t, t.c.uuid == p.c.parent)
                    .where(p.c.deleted.is_(False), *conds).order_by(p.c.month, p.c.id))
            for r in conn.execute(stmt).mappings():
                by_task[r["parent"]].append(dict(r))
    for r in rows:
        r["progress"] = by_task.get(r["uuid"], [])
    return tree_order(rows)


def tree_order(rows: list[dict]) -> list[dict]:
    """Parents before their children, siblings by 序号 (then by 完成时限); sets ``depth``."""
    known = {r["uuid"] for r in rows}
    children: dict[str | None, list[dict]] = defaultdict(list)
    for r in rows:
        parent = r.get("parent_task")
        children[parent if parent in known and parent != r["uuid"] else None].append(r)
    out: list[dict] = []

    def walk(parent, depth, seen):
        for r in sorted(children.get(parent, []),
                        key=lambda x: (x.get("category") or "", *seq_key(x.get("seq")), x.get("deadline") or dt.date.max)
                        if depth == 0 else (*seq_key(x.get("seq")), x.get("deadline") or dt.date.max)):
            if r["uuid"] in seen:
                continue
            seen.add(r["uuid"])
            r["depth"] = depth
            out.append(r)
            walk(r["uuid"], depth + 1, seen)

    walk(None, 0, set())
    return out


def month_of(d: dt.date) -> str:
    return f"{d.year}-{d.month:02d}"


def progress_in(task: dict, month: str) -> dict | None:
    """The task's 进展 row for ``month`` ("YYYY-MM"), the latest if several."""
    found = [p for p in task.get("progress", []) if p["month"] and month_of(p["month"]) == month]
    return found[-1] if found else None


def expects_progress(task: dict, start: dt.date, end: dt.date) -> bool:
    """Whether a task should have reported 进展 for the month ``start``–``end``: not 取消, not
    已完成 before the month began, and not 未启动 with a deadline after the month."""
    if task.get("status") == CANCELLED:
        return False
    if task.get("status") == DONE and task.get("done_on") and task["done_on"] < start:
        return False
    if task.get("status") == NOT_STARTED and task.get("deadline") and task["deadline"] > end:
        return False
    return True


def month_figures(store, month: str, *, township: str | None = None, tasks: list[dict] | None = None) -> dict:
    """Tasks of the month's year as at its last day: counts of done, in progress (not started
    included) and late; the late ones with their 责任单位; and 本月未填报进展 per 责任单位."""
    from .stats import month_range

    start, end = month_range(month)
    if tasks is None:  # the year's tasks with their 进展 (``load``), unless the caller has them
        tasks = load(store, start.year, township=township)
    units = store.codebook()["task_unit"]
    states = {r["uuid"]: state_on(r, end) for r in tasks}
    late = [r for r in tasks if states[r["uuid"]] == "late"]
    silent: dict[str, list[dict]] = defaultdict(list)
    for r in tasks:
        if expects_progress(r, start, end) and progress_in(r, month) is None:
            silent[r.get("unit") or ""].append(r)
    return {
        "month": month, "as_of": end, "year": start.year, "total": len(tasks),
        "done": sum(1 for s in states.values() if s == "done"),
        "in_progress": sum(1 for s in states.values() if s in ("in_progress", "not_started")),
        "late_count": len(late),
        "cancelled": sum(1 for s in states.values() if s == "cancelled"),
        "uuids": {k: [u for u, s in states.items() if s in ks] for k, ks in
                  (("done", ("done",)), ("in_progress", ("in_progress", "not_started")), ("late", ("late",)))},
        "late": [{"uuid": r["uuid"], "seq": r.get("seq") or "", "content": r["content"],
                  "unit": units.name_of(r.get("unit")) or "（未填）", "deadline": r["deadline"],
                  "days": (end - r["deadline"]).days} for r in late],
        "not_reported": [{"unit": units.name_of(u) or "（未填责任单位）", "count": len(rs), "uuids": [r["uuid"] for r in rs]}
                         for u, rs in sorted(silent.items(), key=lambda kv: (-len(kv[1]), kv[0]))],
    }
