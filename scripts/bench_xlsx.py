#!/usr/bin/env python3
"""Excel figures (issue 5):

1. a 50,000-row roster (office layout: title row, header, 15 columns) imported — read,
   checked row by row and written in one transaction — beside LibreOffice converting the same
   file to CSV (``soffice --headless --convert-to csv``); medians of several runs and the ratio.
   Two files hold the same roster:
   - 办公室格式 (``office``): as Excel, WPS and LibreOffice save a workbook — a shared-string
     table and a style on every cell. It is made by LibreOffice saving the openpyxl file as
     xlsx, and it is the file the target is about: offices' rosters come from those programs;
   - openpyxl 格式 (``openpyxl``): as openpyxl writes it — every string inline, each Chinese
     character as a numeric entity (``&#24352;``), no styles. No office program writes this;
     it is harder for ufdesk (calamine parses 49 MB of XML) and easier for LibreOffice.
   Each import runs in a fresh process, as the first import after the program starts: the
   modules are loaded, nothing of an earlier import is cached (the timing starts at opening
   the file and ends when the transaction has committed);
   The peak memory of each import (this process and its helper, summed as they run) is printed
   beside it (target < 250 MB);
2. peak memory (RSS) of exporting 100,000 representatives with openpyxl write-only mode,
   measured in a fresh subprocess.

    python scripts/bench_xlsx.py [--rows 50000] [--export-rows 100000] [--repeat 3] [--dir /tmp/bench-xlsx]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

COUNTY = ("510599", "基准县")
TOWNSHIPS = [(f"510599{100 + i:03d}", name) for i, name in enumerate(
    ["城关镇", "河东乡", "北城街道", "南山镇", "青石镇", "白沙乡", "新华镇", "龙泉镇", "石桥乡", "桂花镇",
     "永安镇", "太平乡", "金竹镇", "柳溪乡", "双河镇", "凤凰镇", "云台乡", "清平镇", "东岳镇", "西岭乡"])]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文斌海燕凤梅春林东晓云飞鹏"
PARTIES = ["民盟", "中国民主同盟盟员", "民建", "民进", "农工党", "九三学社", "无党派人士", "群众", "民革", "致公党"]
EDUCATION = ["本科", "大学本科", "大专", "研究生", "硕士", "高中", "中专"]
KINDS = ["民主党派成员", "党外知识分子", "非公有制经济人士", "新的社会阶层人士", "少数民族人士", "无党派人士"]
FILE_LABELS = {"office": "办公室格式（Excel/WPS/LibreOffice 保存的）", "openpyxl": "openpyxl 格式（内联字符串）"}
HEADERS = ["序号", "姓名", "性别", "民族", "出生年月", "身份证号码", "政治面貌", "文化程度", "工作单位", "职务",
           "所属乡镇", "人士类别", "手机号码", "家庭住址", "备注"]


def _id(rng: random.Random, born: dt.date, male: bool) -> str:
    from stdnum.iso7064 import mod_11_2

    seq = rng.randrange(0, 50) * 2 + (1 if male else 0)
    body = f"510599{born:%Y%m%d}{rng.randrange(0, 10)}{seq:02d}"
    return body + mod_11_2.calc_check_digit(body)


def roster_rows(n: int, seed: int = 5):
    rng = random.Random(seed)
    seen: set[str] = set()
    for i in range(1, n + 1):
        male = rng.random() < 0.6
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 50))
        id_no = _id(rng, born, male)
        while id_no in seen:  # one person, one ID number
            born += dt.timedelta(days=1)
            id_no = _id(rng, born, male)
        seen.add(id_no)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        yield [i, name, "男" if male else "女", rng.choice(["汉", "汉族", "回族", "藏族"]), f"{born.year}.{born.month:02d}",
               id_no, rng.choice(PARTIES), rng.choice(EDUCATION), f"县第{rng.randrange(1, 60)}中学",
               rng.choice(["教师", "副校长", "主任", None]), rng.choice(TOWNSHIPS)[1],
               "、".join(rng.sample(KINDS, rng.choice((1, 2)))), f"13{rng.randrange(0, 10**9):09d}",
               f"某某路{rng.randrange(1, 999)}号", None]


def write_roster(path: Path, n: int) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(["基准县党外代表人士花名册"])
    ws.append(HEADERS)
    for row in roster_rows(n):
        ws.append(row)
    ws.append([f"合计：{n}人"])
    wb.save(path)
    return path


def fresh_store(db: Path):
    from ufdesk.store import Store

    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    return Store.create(db, county_code=COUNTY[0], county_name=COUNTY[1], townships=TOWNSHIPS)


# One import in a fresh process: ``python -c _IMPORT_CHILD ROSTER DB`` prints wall and CPU seconds
# and the peak memory of the import in all: this process and its helper, summed as they run.
_IMPORT_CHILD = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
import bench_xlsx
peak = bench_xlsx.PeakRss()
from ufdesk.exchange.xlsx_import import drain, open_source, run_import
from ufdesk.services import Services
store = bench_xlsx.fresh_store(Path(sys.argv[2]))
services = Services(store, user="基准")
start, cpu = time.perf_counter(), time.process_time()
source = open_source(sys.argv[1], "representatives", store=store)
report = drain(run_import(services, source))
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
assert report.written and report.problems == [], report.summary()
store.close()
print(elapsed, cpu, report.helper_rows, peak.stop())
"""


def _rss_kb(pid: int) -> int:
    """Proportional set size (pages shared by the two processes counted once in all), else RSS."""
    for name, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(name) as fh:
                found = next((int(line.split()[1]) for line in fh if line.startswith(key)), None)
        except OSError:
            continue
        if found is not None:
            return found
    return 0


def _family(pid: int) -> list[int]:
    """``pid`` and all its descendants (the import's helper process, and its resource tracker)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


class PeakRss:
    """The largest sum of memory (PSS) of this process and its descendants, sampled every 20 ms
    in a thread (VmHWM of each would overstate: their peaks need not coincide, and pages the
    processes share would count twice)."""

    def __init__(self):
        import os
        import threading

        self.peak, self.running = 0, True
        self.thread = threading.Thread(target=self._run, args=(os.getpid(),), daemon=True)
        self.thread.start()

    def _run(self, pid: int) -> None:
        while self.running:
            self.peak = max(self.peak, sum(_rss_kb(p) for p in _family(pid)))
            time.sleep(0.02)

    def stop(self) -> float:
        self.running = False
        self.thread.join()
        return self.peak / 1024


def time_import(roster: Path, db: Path) -> tuple[float, float, float]:
    """Wall and CPU seconds (CPU of this process; the helper's is not counted) of one import
    into an empty county, in a fresh process, and its peak memory in MB (both processes)."""
    res = subprocess.run([sys.executable, "-c", _IMPORT_CHILD, str(roster), str(db), str(Path(__file__).parent)],
                         check=True, capture_output=True, text=True)
    elapsed, cpu, _helper_rows, mb = res.stdout.split()
    return float(elapsed), float(cpu), float(mb)


def office_copy(roster: Path, outdir: Path) -> Path:
    """The roster as an office program saves it: LibreOffice opens the openpyxl file and saves
    it as xlsx (shared strings, a style per cell), as Excel and WPS do."""
    soffice = _soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice, f"-env:UserInstallation=file://{outdir / '.lo-profile'}", "--headless",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), str(roster)],
                   check=True, capture_output=True, timeout=900)
    out = outdir / roster.name
    assert out.exists(), f"LibreOffice did not write {out}"
    return out


def _soffice() -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("需要 LibreOffice：apt-get install -y libreoffice-calc-nogui")
    return soffice


def time_soffice(roster: Path, outdir: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one LibreOffice conversion (its profile made beforehand)."""
    soffice = _soffice()
    profile = outdir / ".lo-profile"
    cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "csv",
           "--outdir", str(outdir), str(roster)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=900)  # first run creates the profile
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, timeout=900)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return time.perf_counter() - start, cpu


def build_export_db(db: Path, n: int) -> None:
    from ufdesk.exchange import normalize as N
    from ufdesk.store import records as R

    store = fresh_store(db)
    codes = store.codebook()
    towns = N.Townships(TOWNSHIPS)
    rows = []
    for r in roster_rows(n, seed=9):
        rows.append({
            "name": r[1], "gender": "1" if r[2] == "男" else "2", "ethnicity": codes["ethnicity"].find(r[3]),
            "birth_date": N.date(r[4])[0], "id_number": r[5], "party": N.code(r[6], codes, "party")[0],
            "education": codes["education"].find(r[7]), "employer": r[8], "position": r[9],
            "township": towns.find(r[10])[0], "kinds": N.codes_multi(r[11], codes, "object_kind")[0],
            "mobile": r[12], "address": r[13], "status": "1",
        })
    with store.write("基准") as (conn, ctx):
        for start in range(0, len(rows), 5000):
            R.bulk_insert(conn, "representatives", rows[start:start + 5000], ctx)
    store.close()


# Peak RSS from /proc (VmHWM): ru_maxrss would carry over the parent's peak through fork+exec.
_CHILD = """
import sys, time
from ufdesk.exchange.xlsx_export import export_xlsx
from ufdesk.exchange.xlsx_import import drain
from ufdesk.services import Services
from ufdesk.store import Store
start = time.perf_counter()
n = drain(export_xlsx(Services(Store.open(sys.argv[1]), user="基准"), "representatives", sys.argv[2], full_ids=True))
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(n, time.perf_counter() - start, int(hwm.split()[1]) / 1024)
"""


def export_peak(db: Path, out: Path) -> tuple[int, float, float]:
    res = subprocess.run([sys.executable, "-c", _CHILD, str(db), str(out)], check=True, capture_output=True, text=True)
    n, seconds, mb = res.stdout.split()
    return int(n), float(seconds), float(mb)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--export-rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", default="/tmp/bench-xlsx")
    args = ap.parse_args()
    d = Path(args.dir)
    d.mkdir(parents=True, exist_ok=True)
    plain = write_roster(d / f"roster_{args.rows}.xlsx", args.rows)
    rosters = {"office": office_copy(plain, d / "office"), "openpyxl": plain}
    ratios, peaks = {}, {}
    for kind, roster in rosters.items():
        label = FILE_LABELS[kind]
        print(f"花名册（{label}）：{roster}（{args.rows} 行，{roster.stat().st_size / 1e6:.1f} MB）", flush=True)
        imports, converts = [], []
        for i in range(args.repeat):  # interleaved so that both see the same machine load
            imports.append(time_import(roster, d / "import.db"))
            converts.append(time_soffice(roster, d / "csv"))
            print(f"  第{i + 1}轮：导入 {imports[-1][0]:.2f} s（CPU {imports[-1][1]:.2f} s，"
                  f"峰值内存 {imports[-1][2]:.0f} MB，两个进程合计 PSS），"
                  f"LibreOffice 转 CSV {converts[-1][0]:.2f} s（CPU {converts[-1][1]:.2f} s）", flush=True)
        imp, conv = (statistics.median(x[0] for x in imports), statistics.median(x[0] for x in converts))
        imp_cpu, conv_cpu = (statistics.median(x[1] for x in imports), statistics.median(x[1] for x in converts))
        ratios[kind] = imp / conv
        peaks[kind] = max(x[2] for x in imports)
        print(f"{label}：导入 {args.rows} 行（读取+逐行检查+写入）：中位数 {imp:.2f} s（CPU {imp_cpu:.2f} s）；"
              f"LibreOffice 转 CSV：中位数 {conv:.2f} s（CPU {conv_cpu:.2f} s）；"
              f"比值 {imp / conv:.2f}（<1 即导入更快）；导入峰值内存 {peaks[kind]:.0f} MB（目标 < 250 MB）", flush=True)
    build_export_db(d / "export.db", args.export_rows)
    n, seconds, mb = export_peak(d / "export.db", d / "export.xlsx")
    print(f"导出 {n} 名代表人士：{seconds:.1f} s，峰值内存（RSS）{mb:.0f} MB（目标 < 200 MB）")
    return 0 if ratios["office"] < 1 and mb < 200 else 1


if __name__ == "__main__":
    sys.exit(main())
