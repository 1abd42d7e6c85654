#!/usr/bin/env python3
"""考核评价 and 推进表 figures (issue 19): a 100,000-person demo county's evaluation for a year
(target ≤ 1 s) and the 《重点任务推进表》 of 200 tasks gathered and laid out as a PDF (≤ 0.5 s),
medians, each beside its ratio to a baseline measured in the same run: ``ufdesk stats``'s
totals over the same database (evaluation) and a one-paragraph PDF in the same font (推进表).

    python scripts/bench_evaluation.py [--size 100000] [--db PATH] [--reuse] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_reports import baseline as pdf_baseline  # noqa: E402
from benchlib import Figure, median_time, table  # noqa: E402


def add_tasks(svc, n: int, year: int) -> None:
    """Fill the county's year up to ``n`` tasks (half with sub-tasks), each with monthly 进展."""
    import random

    from ufdesk.store.records import bulk_insert, new_uuid

    r = random.Random(19)
    have = svc.count(__import__("ufdesk.services", fromlist=["Query"]).Query("tasks"))
    towns = [c for c, _ in svc.store.townships()]
    tasks, progress = [], []
    parent = None
    for i in range(max(0, n - have)):
        u = new_uuid()
        sub = parent is not None and r.random() < 0.5
        tasks.append({"uuid": u, "year": year, "seq": f"({i % 9 + 1})" if sub else str(i + 1),
                      "parent_task": parent if sub else None, "content": f"推进第{i + 1}项重点工作，落实责任分工",
                      "category": f"{r.randint(1, 10):02d}", "leader": "王立新", "unit": "01",
                      "township": r.choice(towns) if sub else None, "deadline": dt.date(year, r.randint(1, 12), 28),
                      "status": r.choice("1223")})
        if tasks[-1]["status"] == "3":
            tasks[-1]["done_on"] = tasks[-1]["deadline"]
        if not sub:
            parent = u
        for m in range(1, 12):
            progress.append({"uuid": new_uuid(), "parent": u, "township": tasks[-1]["township"],
                             "month": dt.date(year, m, 1), "progress": "按计划推进，完成阶段性工作。"})
    with svc.store.write("bench") as (conn, ctx):
        bulk_insert(conn, "tasks", tasks, ctx)
        bulk_insert(conn, "task_progress", progress, ctx)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--db")
    ap.add_argument("--reuse", action="store_true")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    from ufdesk import reports
    from ufdesk.services import Services
    from ufdesk.services.demo import build_demo
    from ufdesk.services.evaluation import evaluate
    from ufdesk.services.stats import totals
    from ufdesk.store import Store

    db = Path(a.db or Path(tempfile.gettempdir()) / f"bench_evaluation_{a.size}.db")
    store = Store.open(db) if a.reuse and db.exists() else build_demo(db, size=a.size, force=True)
    svc = Services(store, user="bench")
    year = dt.date.today().year
    evaluate(svc, year)  # the year's rubric is copied on first use: not part of the figure
    figures = []
    base = median_time(lambda: totals(store), repeat=a.repeat)
    t = median_time(lambda: evaluate(svc, year), repeat=a.repeat)
    figures.append(Figure(f"考核评价（{a.size:,}人，全年）", t, 1.0, base, note="基准：ufdesk stats 的各台账计数"))
    tq = median_time(lambda: evaluate(svc, year, 4), repeat=a.repeat)
    figures.append(Figure("考核评价（第四季度）", tq, 1.0, base, note="基准同上"))
    add_tasks(svc, 200, year)
    pdf = pdf_baseline()
    tb = median_time(lambda: reports.render(svc, "tasks", {"year": year, "month": f"{year}-11"}), repeat=a.repeat)
    figures.append(Figure("重点任务推进表（200项，PDF）", tb, 0.5, pdf, note="基准：一段文字的单页 PDF"))
    tw = median_time(lambda: reports.render(svc, "tasks", {"year": year, "month": f"{year}-11"}, "docx"),
                     repeat=a.repeat)
    figures.append(Figure("重点任务推进表（200项，Word）", tw, 0.5, pdf, note="基准同上"))
    print(table(figures))
    store.close()
    return 0 if all(f.ok is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
