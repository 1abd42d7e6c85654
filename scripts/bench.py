#!/usr/bin/env python3
"""The whole program's figures in one run (issue 8), at several sizes of the demo county.

    python scripts/bench.py [--quick] [--sizes 10000,100000,1000000] [--out bench.md] [--chart bench.svg]

For each size: building the demo county; a filtered, sorted page of 200 rows (the slowest
sortable column); all ids of a sort and of a 1-character filter (what a table model keeps);
the GUI (start-up to usable window, first paint, sort, filter, memory — from bench_gui.py);
exporting every representative to Excel (time and peak memory, in a fresh process); the
monthly summary; package export, import into an empty county and re-import. Once, at fixed
size: a 50,000-row roster imported beside LibreOffice converting the same file, and each
report on the 2,000-person demo county. Every figure is a median, printed with its ratio to a
baseline measured in the same run (the machine is shared and noisy). The table can go to a
Markdown file and the growth of each cost with the number of records to an SVG chart; the
growth exponent between sizes is printed (1.0 = linear).

``--quick``: 10,000 representatives, fewer repetitions, a 5,000-row roster — under 5 minutes.
The 1,000,000 size runs only when the 100,000 run suggests it fits in ``--budget`` minutes.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from benchlib import Figure, cpu_baseline, median_time, table  # noqa: E402

PASSPHRASE = "bench-passphrase"


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def query_figures(db: Path, repeat: int, base: float) -> list[Figure]:
    from bench_query import page_figures

    figs = page_figures(db)
    return [Figure(f.name, f.seconds, f.target, base) for f in figs]


def gui_figures(db: Path, base: float) -> list[Figure]:
    """bench_gui.py in its own process (it starts QApplication and measures RSS)."""
    script = HERE / "bench_gui.py"
    if not script.exists():
        return []
    out = subprocess.run([sys.executable, str(script), "--db", str(db), "--json"], capture_output=True, text=True,
                         timeout=1200)
    try:  # bench_gui exits 1 when a target is missed; its figures still come as the last line
        d = json.loads(out.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        print(out.stderr[-2000:], file=sys.stderr)
        return [Figure("图形界面（bench_gui.py 运行失败）", float("nan"))]
    figs = [
        Figure("启动到窗口可用", d["start"], 0.5, d.get("start_base"), note="倍数对同次运行的同样标签页的空白 PySide6 窗口"),
        Figure("第一页绘出", d["paint"], 0.100, base),
        Figure(f"点列标题排序（最慢一列：{d['sort_worst_column']}）", d["sort"], 0.150, base),
        Figure("输入 1 个字筛选", d["filter"], 0.150, base),
        Figure("界面进程峰值内存", d["rss"], 400.0, None, unit="MB"),
    ]
    return figs


EXPORT_CHILD = """
import sys, time
from ufdesk.store import Store
from ufdesk.services import Services
from ufdesk.exchange.xlsx_export import export_xlsx
svc = Services(Store.open(sys.argv[1]))
start = time.perf_counter()
gen = export_xlsx(svc, "representatives", sys.argv[2], full_ids=True, subs=False)
try:
    while True:
        next(gen)
except StopIteration:
    pass
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(time.perf_counter() - start, int(hwm.split()[1]) / 1024)
"""  # VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork+exec from the parent


def export_figures(db: Path, work: Path, base: float) -> list[Figure]:
    out = subprocess.run([sys.executable, "-c", EXPORT_CHILD, str(db), str(work / "export.xlsx")],
                         capture_output=True, text=True, check=True)
    seconds, mb = (float(x) for x in out.stdout.split())
    return [Figure("导出全部代表人士为 Excel", seconds, None, base),
            Figure("导出时峰值内存（RSS）", mb, 200.0, None, unit="MB")]


def report_figures(db: Path, repeat: int, base: float) -> list[Figure]:
    from ufdesk import reports
    from ufdesk.services import Services
    from ufdesk.services.stats import last_months
    from ufdesk.store import Store

    svc = Services(Store.open(db))
    month = last_months(1)[0]
    reports.render(svc, "monthly", {"month": month}, "pdf")  # fonts registered once per process
    t = median_time(lambda: reports.render(svc, "monthly", {"month": month}, "pdf"), repeat=repeat, warmup=0)
    svc.store.close()
    return [Figure("月度工作汇总（PDF）", t, 1.0, base)]


def package_figures(db: Path, work: Path, repeat: int, base: float) -> list[Figure]:
    import sqlalchemy as sa

    from ufdesk.exchange import package_export as E
    from ufdesk.exchange import package_import as I
    from ufdesk.exchange.package import open_bytes
    from ufdesk.store import Store
    from ufdesk.store import schema as S

    src_path = work / "township.db"
    shutil.copyfile(db, src_path)
    src = Store.open(src_path)
    places = src.townships()
    villages = [(c, n) for c, _t, n in src.villages()]
    with src.engine.begin() as conn:  # a township that holds every record sends them all
        conn.execute(sa.update(S.installation).values(township=places[0][0]))
    src.invalidate()
    t_export = median_time(lambda: E.run(E.build(src, passphrase=PASSPHRASE, everything=True)), repeat=repeat,
                           warmup=0)
    sealed, _manifest = E.run(E.build(src, passphrase=PASSPHRASE, everything=True))
    imports = []
    county = None
    for i in range(repeat):
        if county is not None:
            county.close()
        county = Store.create(work / f"county{i}.db", county_code=src.county_code, county_name=src.county_name,
                              townships=places, villages=villages)
        seconds, _ = _timed(lambda c=county: I.run(I.import_package(c, open_bytes(sealed, PASSPHRASE))))
        imports.append(seconds)
    again, _m = E.run(E.build(src, passphrase=PASSPHRASE, everything=True))
    t_re = median_time(lambda: I.run(I.import_package(county, open_bytes(again, PASSPHRASE))), repeat=repeat,
                       warmup=0)
    county.close()
    src.close()
    return [
        Figure("数据包导出（全部记录）", t_export, 10.0, base),
        Figure("数据包导入空白县", sorted(imports)[len(imports) // 2], 20.0, base),
        Figure("同样内容的新数据包再导入（无变化）", t_re, 5.0, base),
    ]


def fixed_figures(rows: int, repeat: int, work: Path, base: float) -> list[Figure]:
    """Figures of a fixed size: the roster import beside LibreOffice, and every report."""
    figs: list[Figure] = []
    import bench_xlsx

    plain = bench_xlsx.write_roster(work / "roster.xlsx", rows)
    if shutil.which("soffice") or shutil.which("libreoffice"):
        rosters = {"office": bench_xlsx.office_copy(plain, work / "office"), "openpyxl": plain}
        for kind, roster in rosters.items():
            imports, converts = [], []
            for _ in range(repeat):  # interleaved: both see the same load
                imports.append(bench_xlsx.time_import(roster, work / "import.db")[0])
                converts.append(bench_xlsx.time_soffice(roster, work)[0])
            imp, lo = sorted(imports)[repeat // 2], sorted(converts)[repeat // 2]
            label = "办公室格式" if kind == "office" else "openpyxl 格式"
            figs.append(Figure(f"导入 {rows:,} 行花名册（{label}，读+查+写）", imp, lo, lo,
                               note="目标与基准：LibreOffice 把同一文件转 CSV"))
    else:
        imp = sorted(bench_xlsx.time_import(plain, work / "import.db")[0] for _ in range(repeat))[repeat // 2]
        figs.append(Figure(f"导入 {rows:,} 行花名册（读+查+写）", imp, None, base, note="未装 LibreOffice"))
    from ufdesk import reports
    from ufdesk.services import Services
    from ufdesk.services.demo import build_demo
    from ufdesk.services.stats import last_months

    store = build_demo(work / "reports.db", size=2000, force=True)
    svc = Services(store)
    month, year = last_months(1)[0], last_months(1)[0][:4]
    person = store.engine.connect().exec_driver_sql("select uuid from representatives limit 1").scalar()
    params = {"monthly": {"month": month}, "proposals": {"year": year}, "person": {"id": person}}
    reports.render(svc, "monthly", params["monthly"], "pdf")
    for name, tpl in reports.TEMPLATES.items():
        p = params.get(name, {})
        t = median_time(lambda n=name, p=p: reports.render(svc, n, p, "pdf"), repeat=repeat, warmup=0)
        target = {"roster": 2.0, "monthly": 1.0}.get(name)
        figs.append(Figure(f"报表 {name}（{tpl.label}，2,000 人）", t, target, base))
    store.close()
    return figs


def series_key(name: str) -> str:
    """The same figure's name at every size: without the size and the slowest column."""
    if name.startswith("生成演示县"):
        return "生成演示县"
    name = re.sub(r"，最慢的排序列：[a-z_]+", "，最慢的排序列", name)
    return re.sub(r"（最慢一列：[^）]+）", "", name)


def growth(series: dict[str, dict[int, float]]) -> list[str]:
    lines = []
    for name, points in series.items():
        sizes = sorted(n for n, v in points.items() if v and not math.isnan(v))
        if len(sizes) < 2:
            continue
        exps = [math.log(points[b] / points[a]) / math.log(b / a) for a, b in zip(sizes, sizes[1:], strict=False)
                if points[a] > 0 and points[b] > 0]
        lines.append(f"| {name} | " + " | ".join(f"{e:.2f}" for e in exps) + " |")
    return lines


def svg_chart(series: dict[str, dict[int, float]], path: Path) -> None:
    """A log-log line chart of each cost against the number of representatives."""
    w, h, left, bottom, top, right = 980, 480, 70, 50, 20, 400
    pts = [(n, v) for s in series.values() for n, v in s.items() if v and v > 0 and not math.isnan(v)]
    if not pts:
        return
    xs = [math.log10(n) for n, _ in pts]
    ys = [math.log10(v) for _, v in pts]
    x0, x1 = min(xs) - 0.1, max(xs) + 0.1
    y0, y1 = math.floor(min(ys)), math.ceil(max(ys))

    def px(n):
        return left + (math.log10(n) - x0) / (x1 - x0) * (w - left - right)

    def py(v):
        return h - bottom - (math.log10(v) - y0) / max(y1 - y0, 1e-9) * (h - bottom - top)

    colors = ["#c0392b", "#2471a3", "#229954", "#d68910", "#7d3c98", "#17a589", "#566573", "#a04000", "#1f618d",
              "#b7950b", "#6c3483", "#148f77"]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>']
    for e in range(y0, y1 + 1):
        y = py(10 ** e)
        label = f"{10 ** e * 1000:g} ms" if e < 0 else f"{10 ** e:g} s"
        out.append(f'<line x1="{left}" x2="{w - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    for n in sorted({n for n, _ in pts}):
        x = px(n)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{h - bottom}" stroke="#eee"/>')
        out.append(f'<text x="{x:.1f}" y="{h - bottom + 18}" text-anchor="middle">{n:,}</text>')
    out.append(f'<text x="{(w - right + left) / 2:.0f}" y="{h - 10}" text-anchor="middle">代表人士人数（对数坐标）</text>')
    for i, (name, s) in enumerate(series.items()):
        c = colors[i % len(colors)]
        good = sorted((n, v) for n, v in s.items() if v and v > 0 and not math.isnan(v))
        if not good:
            continue
        d = " ".join(f"{px(n):.1f},{py(v):.1f}" for n, v in good)
        dash = ' stroke-dasharray="6,3"' if i >= len(colors) else ""
        out.append(f'<polyline points="{d}" fill="none" stroke="{c}" stroke-width="2"{dash}/>')
        out += [f'<circle cx="{px(n):.1f}" cy="{py(v):.1f}" r="3" fill="{c}"/>' for n, v in good]
        ly = top + 14 + i * 18
        out.append(f'<line x1="{w - right + 12}" x2="{w - right + 32}" y1="{ly - 4}" y2="{ly - 4}" stroke="{c}" '
                   f'stroke-width="2"{dash}/>')
        out.append(f'<text x="{w - right + 38}" y="{ly}">{name}</text>')
    out.append("</svg>")
    path.write_text("\n".join(out), encoding="utf-8")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="10,000 人、少量重复，5 分钟内")
    p.add_argument("--sizes", help="逗号分隔的代表人士人数（默认 10000,100000,1000000）")
    p.add_argument("--budget", type=float, default=25.0, help="最大规模允许的分钟数（按上一规模推算）")
    p.add_argument("--out", type=Path, help="把结果表写入 Markdown 文件")
    p.add_argument("--chart", type=Path, help="把增长曲线写入 SVG 文件")
    p.add_argument("--work", type=Path, help="工作目录（默认临时目录）")
    args = p.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else ([10_000] if args.quick else
                                                                         [10_000, 100_000, 1_000_000])
    repeat = 3 if args.quick else 5
    work = args.work or Path(tempfile.mkdtemp(prefix="ufdesk-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("UFDESK_HOME", str(work / "home"))
    started = time.perf_counter()
    sections: list[str] = []
    series: dict[str, dict[int, float]] = {}
    last_elapsed, prev_n = None, 1
    try:
        for n in sizes:
            if last_elapsed is not None and last_elapsed * n / prev_n > args.budget * 60:
                sections.append(f"（{n:,} 人：按上一规模推算需要约 {last_elapsed * n / prev_n / 60:.0f} 分钟，"
                                f"超出 {args.budget:g} 分钟预算，未运行）")
                continue
            t0 = time.perf_counter()
            base = cpu_baseline()
            db = work / f"demo-{n}.db"
            from bench_query import build

            figs = [Figure(f"生成演示县（{n:,} 人）", build(db, n), 60.0 if n <= 100_000 else None, base)]
            figs += query_figures(db, repeat, base)
            figs += gui_figures(db, base)
            figs += export_figures(db, work, base)
            figs += report_figures(db, repeat, base)
            figs += package_figures(db, work, 3 if n < 1_000_000 else 1, base)
            for f in figs:
                series.setdefault(series_key(f.name), {})[n] = f.seconds
            sections.append(f"### {n:,} 名代表人士（基准：排序 20 万个字符串 {base * 1000:.0f} ms）\n\n" + table(figs))
            print(sections[-1], "\n", flush=True)
            last_elapsed, prev_n = time.perf_counter() - t0, n
            for leftover in work.glob("county*.db*"):
                leftover.unlink()
        base = cpu_baseline()
        fixed = fixed_figures(5_000 if args.quick else 50_000, 3, work, base)
        sections.append("### 固定规模\n\n" + table(fixed))
        print(sections[-1], flush=True)
        grow = growth({k: v for k, v in series.items() if "MB" not in k})
        if grow:
            head = " | ".join(f"{a:,}→{b:,}" for a, b in zip(sizes, sizes[1:], strict=False))
            sections.append("### 增长指数（1.0 = 与记录数成正比）\n\n| 项目 | " + head + " |\n|---|" +
                            "---:|" * (len(sizes) - 1) + "\n" + "\n".join(grow))
            print(sections[-1], flush=True)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    text = "\n\n".join(sections) + f"\n\n（本次运行共 {(time.perf_counter() - started) / 60:.1f} 分钟）\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    if args.chart and len(sizes) > 1:
        svg_chart({k: v for k, v in series.items() if "内存" not in k}, args.chart)
        args.chart.with_suffix(".json").write_text(json.dumps(series, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
