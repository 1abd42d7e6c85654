#!/usr/bin/env python3
"""Report figures (issue 4): each template built from the demo county (data gathered and laid
out, as ``ufdesk report`` does), median of several runs, beside its ratio to a baseline measured
in the same run — a one-paragraph reportlab PDF in the same Chinese font.

    python scripts/bench_reports.py [--size 2000] [--db /tmp/bench_reports.db] [--reuse] [--repeat 5]
        [--big 100000 --big-db /tmp/bench_reports_100k.db]

With ``--big N``, the as-at figures (issue 14) are timed on an N-person county as well. The
issue's target is the whole monthly summary — the PDF ``ufdesk report monthly`` writes, data
gathered and laid out, as ``scripts/bench.py`` measured it when the issue was filed (0.68 s,
8.2× its baseline of sorting 200,000 strings) — for last month and for a month half a year
back (every figure as at its last day); and the structure analysis as at a past day. These
figures are printed beside both same-run baselines: the one-paragraph PDF and bench.py's
200,000-string sort (so the ratio compares with the issue's 8.2×). The data alone is shown
too, without a target.

Issue 15's figures (``paper_figures``): the roster of every person of the county (exactly
``--size`` rows) as PDF and as Word, and every report as Word, each against its 1 s target.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import Figure, median_time, table  # noqa: E402

ISSUE_SORT = 0.083  # bench.py's baseline (sorting 200,000 strings) in the run the issue quotes (0.68 s = 8.2×)
TARGETS = {"roster_all": 1.0, "monthly": 1.0, "big_monthly": 0.5, "big_structure": 1.0, "paper": 1.0}


def baseline() -> float:
    """A trivial PDF: one paragraph of Chinese on one A4 page, fonts embedded."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from ufdesk.reports.page import styles

    st = styles()

    def one():
        buf = io.BytesIO()
        SimpleDocTemplate(buf, pagesize=A4).build([Paragraph("本月全县统战工作有序推进。" * 4, st["body"])])
        return buf.getvalue()

    return median_time(one, repeat=9)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=2000, help="representatives in the demo county")
    ap.add_argument("--db", default="/tmp/bench_reports.db")
    ap.add_argument("--reuse", action="store_true", help="use an existing --db instead of building it")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--big", type=int, default=0, help="also time the as-at figures on a county this large")
    ap.add_argument("--big-db", default="/tmp/bench_reports_big.db")
    args = ap.parse_args()

    from ufdesk import reports
    from ufdesk.reports import data as D
    from ufdesk.reports import roster as R
    from ufdesk.services import Services
    from ufdesk.store import Store

    db = Path(args.db)
    if not (args.reuse and db.exists()):
        from ufdesk.services.demo import build_demo

        build_demo(db, size=args.size, force=True).close()
    svc = Services(Store.open(db), user="bench")
    person = svc.find_by("representatives", status="1")[0]["uuid"]

    start = time.perf_counter()
    reports.render(svc, "monthly")  # the first report of a session registers the fonts
    cold = time.perf_counter() - start
    base = baseline()

    figures = [Figure("基准：一段文字的 A4 PDF", base, unit="s", note="reportlab，同一中文字体，嵌入")]
    all_reps = D.roster(svc, status=None)  # every representative, present or not: exactly --size rows
    rows = len(all_reps["rows"])
    figures.append(Figure(f"roster 花名册（{rows}行，全部人员）", median_time(
        lambda: R.pdf(D.roster(svc, status=None)), repeat=args.repeat), TARGETS["roster_all"], base,
        note="汇总数据＋排版，横向，每页表头"))
    for name, t in reports.TEMPLATES.items():
        params = {"id": person}
        pdf = reports.render(svc, name, params)
        secs = median_time(lambda n=name, p=params: reports.render(svc, n, p), repeat=args.repeat)
        pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page ")
        figures.append(Figure(f"{name} {t.label}", secs, TARGETS.get(name), base, note=f"{pages}页" if pages else ""))
    figures += paper_figures(svc, args, base, person)
    figures.append(Figure("首次生成（含字体注册）", cold, None, base, note="monthly，进程中第一次"))
    if args.big:
        figures += big_figures(args, base)
    print(f"演示县：{args.size} 名代表人士；每项取 {args.repeat} 次的中位数。\n")
    print(table(figures))
    svc.store.close()
    return 0 if all(f.ok is not False for f in figures) else 1


def all_people(svc) -> dict:
    """The roster's data with every representative of the demo county in it — in the register
    or not (退出, 去世) — so a ``--size 2000`` county gives exactly 2,000 rows."""
    from ufdesk.reports import data as D

    d = D.roster(svc)
    for status in ("2", "3"):
        d["rows"] += D.roster(svc, status=status)["rows"]
    return d


def paper_figures(svc, args, base: float, person: str) -> list:
    """Issue 15's targets: a 2,000-row roster (PDF and Word) ≤ 1 s, each Word report ≤ 1 s at
    2,000 people; data gathered and laid out, each beside the same-run baseline."""
    from ufdesk import reports
    from ufdesk.reports import roster as R

    rows = len(all_people(svc)["rows"])
    out = [
        Figure(f"花名册 PDF（{rows}行，全部人员，默认列）", median_time(lambda: R.pdf(all_people(svc)), repeat=args.repeat),
               TARGETS["paper"], base, note="数据＋排版，横向，每页表头"),
        Figure(f"花名册 Word（{rows}行）", median_time(lambda: R.docx(all_people(svc)), repeat=args.repeat),
               TARGETS["paper"], base, note="表头行重复，行不跨页"),
    ]
    for name, t in reports.TEMPLATES.items():
        params = {"id": person}
        secs = median_time(lambda n=name, p=params: reports.render(svc, n, p, "docx"), repeat=args.repeat)
        out.append(Figure(f"{name} {t.label}（Word）", secs, TARGETS["paper"], base))
    return out


def big_figures(args, base: float) -> list:
    """As-at figures on a large county: a month half a year back, and a day in it."""

    from benchlib import cpu_baseline

    from ufdesk import reports
    from ufdesk.reports import data as D
    from ufdesk.services import Services, stats
    from ufdesk.store import Store

    db = Path(args.big_db)
    if not (args.reuse and db.exists()):
        from ufdesk.services.demo import build_demo

        build_demo(db, size=args.big, force=True).close()
    svc = Services(Store.open(db), user="bench")
    last, past = stats.last_months(1)[0], stats.last_months(6)[0]
    _, end = stats.month_range(past)
    n = f"{args.big // 10000}万人"
    sort = cpu_baseline()  # bench.py's baseline, measured here in the same run
    reports.render(svc, "monthly", {"month": last})  # fonts registered once per process
    out = []
    for month, what in ((last, "上个月"), (past, "半年前")):
        secs = median_time(lambda m=month: reports.render(svc, "monthly", {"month": m}), repeat=args.repeat)
        pdf = reports.render(svc, "monthly", {"month": month})
        pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page ")
        out.append(Figure(f"{n}：月度汇总 PDF（{month}，{what}，截至月末）", secs, TARGETS["big_monthly"], sort,
                          note=f"数据＋排版，{pages}页；比值对排序20万字符串（议题提出时 0.68 s = 8.2×，"
                               f"目标 0.5 s 约合 {0.5 / ISSUE_SORT:.1f}×）；对一段文字 PDF {secs / base:.0f}×"))
    out += [
        Figure(f"{n}：月度汇总数据（{past}，截至月末）", median_time(lambda: D.monthly(svc, past), repeat=args.repeat),
               None, base, note="只汇总数据"),
        Figure(f"{n}：结构分析数据（截至{end}）", median_time(lambda: D.structure(svc, on=end), repeat=args.repeat),
               TARGETS["big_structure"], base, note="在册、年龄、政治安排按当日"),
        Figure(f"{n}：结构分析 PDF（截至{end}）", median_time(
            lambda: reports.render(svc, "structure", {"date": end}), repeat=args.repeat), None, base),
        Figure("基准：排序20万个字符串（bench.py 的基准）", sort, None, None, note="同一次运行"),
    ]
    svc.store.close()
    return out


if __name__ == "__main__":
    sys.exit(main())
