#!/usr/bin/env python3
"""Foundation figures (issue 2): building the demo county, and a filtered, sorted page of
200 representatives for every sortable column.

    python scripts/bench_query.py [--size 100000] [--db /tmp/bench.db] [--reuse]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import Figure, median_time, table  # noqa: E402


def build(db: Path, size: int) -> float:
    from ufdesk.services.demo import build_demo

    start = time.perf_counter()
    build_demo(db, size=size, force=True).close()
    return time.perf_counter() - start


def scan_baseline(db: Path) -> float:
    """A raw full scan of the representatives table with sqlite3 — the floor under any query."""
    con = sqlite3.connect(db)
    t = median_time(lambda: con.execute("select count(*) from representatives where name like '%伟%'").fetchall())
    con.close()
    return t


def page_figures(db: Path) -> list[Figure]:
    from ufdesk.domain import LEDGERS
    from ufdesk.services import Query, Services
    from ufdesk.store import Store
    from ufdesk.store.schema import sortable_columns

    base = scan_baseline(db)
    svc = Services(Store.open(db))
    columns = [c for c in sortable_columns(LEDGERS["representatives"]) if c not in ("sk_pinyin",)]
    filters = {
        "文字“伟”": dict(text="伟"),
        "党派=民盟": dict(filters={"party": "05"}),
        "类别=民主党派成员": dict(filters={"kinds": "01"}),
        "一个乡镇": dict(township=svc.store.townships()[0][0]),
    }
    out = []
    for label, kw in filters.items():
        times = {c: median_time(lambda c=c, kw=kw: svc.page(Query("representatives", sort=c, **kw), 0, 200), repeat=5)
                 for c in columns}
        worst = max(times, key=times.get)
        out.append(Figure(f"200行一页（{label}，最慢的排序列：{worst}）", times[worst], 0.050, base))
        out.append(Figure(f"200行一页（{label}，默认笔画排序）", times["sk_stroke"], 0.050, base))
    ids = median_time(lambda: svc.ids(Query("representatives")), repeat=5)
    out.append(Figure("全部 id 按笔画排序（表格模型）", ids, None, base))
    ids = median_time(lambda: svc.ids(Query("representatives", text="伟")), repeat=5)
    out.append(Figure("“伟”的全部 id（表格模型）", ids, None, base))
    svc.store.close()
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--size", type=int, default=100_000)
    p.add_argument("--db", type=Path, default=Path("/tmp/ufdesk-bench.db"))
    p.add_argument("--reuse", action="store_true", help="use an existing --db instead of building it")
    args = p.parse_args()
    figures = []
    if not (args.reuse and args.db.exists()):
        from benchlib import cpu_baseline

        base = cpu_baseline()
        figures.append(Figure(f"生成演示县（{args.size:,} 名代表人士）", build(args.db, args.size), 60.0, base,
                              note="基准：排序20万个字符串"))
    figures += page_figures(args.db)
    print(table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
