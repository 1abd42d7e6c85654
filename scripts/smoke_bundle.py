#!/usr/bin/env python3
"""Run the BUILT program (dist/ufdesk/) as an office would, in a throw-away data folder:

    python scripts/smoke_bundle.py [--bundle dist/ufdesk] [--out build/smoke]

--version, demo, stats --json, check, the monthly report as PDF and Word, an Excel export, a
12,000-row import (checked in two processes), then the GUI in a real X window under Xvfb (xcb platform) long enough to take a screenshot,
which must show a window (not one flat colour). Linux only (CI); needs Xvfb and Pillow
(reportlab already brings Pillow). Exit 0 when every step passed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEDGERS = ("representatives", "chambers", "sites", "proposals", "cadres", "activities")
DEMO_SIZE = 500
IMPORT_ROWS = 12_000  # above parallel_check.PARALLEL_FROM
XLSX_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
GUI_TIMEOUT = 60  # seconds until the window must have painted
GUI_SETTLE = 4  # seconds more, so that the home page's figures are drawn too


class SmokeFailure(Exception):
    pass


class Smoke:
    def __init__(self, bundle: Path, out: Path, only: set[str] | None = None):
        self.only = only
        self.bundle = bundle.resolve()
        self.exe = self.bundle / ("ufdesk.exe" if os.name == "nt" else "ufdesk")
        self.gui_exe = self.bundle / ("ufdesk-gui.exe" if os.name == "nt" else "ufdesk-gui")
        self.out = out.resolve()
        self.tmp = Path(tempfile.mkdtemp(prefix="ufdesk-smoke-"))
        self.db = self.tmp / "demo.db"
        # a clean user: data folder, Qt settings and caches all inside the temporary folder
        self.env = dict(os.environ, UFDESK_HOME=str(self.tmp / "home"), HOME=str(self.tmp / "home"),
                        XDG_CONFIG_HOME=str(self.tmp / "config"), XDG_CACHE_HOME=str(self.tmp / "cache"),
                        XDG_DATA_HOME=str(self.tmp / "data"), LANG="C.UTF-8", PYTHONIOENCODING="utf-8")
        for k in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY", "UFDESK_USER", "UFDESK_PASSWORD"):
            self.env.pop(k, None)
        self.timings: list[tuple[str, float]] = []
        self.county = ""

    # -- helpers -------------------------------------------------------------------------------
    def run(self, *args: str, timeout: float = 300) -> str:
        """Run the built program; its stdout, or SmokeFailure with what it said."""
        cmd = [str(self.exe), *args]
        try:
            proc = subprocess.run(cmd, env=self.env, capture_output=True, text=True, encoding="utf-8",
                                  timeout=timeout, cwd=self.tmp)
        except subprocess.TimeoutExpired as exc:
            raise SmokeFailure(f"超时（{timeout} 秒）：{' '.join(cmd)}") from exc
        if proc.returncode != 0:
            raise SmokeFailure(f"退出码 {proc.returncode}：{' '.join(args)}\n{proc.stdout}\n{proc.stderr}")
        return proc.stdout

    def step(self, name: str, fn) -> None:
        started = time.monotonic()
        print(f"… {name}", flush=True)
        fn()
        took = time.monotonic() - started
        self.timings.append((name, took))
        print(f"✓ {name}（{took:.1f} 秒）", flush=True)

    # -- the steps -----------------------------------------------------------------------------
    def version(self) -> None:
        expected = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
        text = self.run("--version").strip()
        if text != f"ufdesk {expected}":
            raise SmokeFailure(f"--version 输出“{text}”，应为“ufdesk {expected}”（pyproject.toml）")

    def demo(self) -> None:
        text = self.run("demo", "--db", str(self.db), "--size", str(DEMO_SIZE))
        if not self.db.exists():
            raise SmokeFailure(f"demo 没有生成数据库：{text}")
        first = text.splitlines()[0] if text else ""
        # 已生成演示县 青岚湖县：/tmp/…/demo.db
        self.county = first.removeprefix("已生成演示县").split("：")[0].strip()
        if not self.county:
            raise SmokeFailure(f"demo 输出里没有县名：{text}")

    def stats(self) -> None:
        data = json.loads(self.run("stats", "--db", str(self.db), "--json"))
        empty = [name for name in LEDGERS if not data.get(name)]
        if empty:
            raise SmokeFailure(f"stats 显示这些台账为空：{empty}；全部：{data}")
        if data["representatives"] != DEMO_SIZE:
            raise SmokeFailure(f"代表人士应为 {DEMO_SIZE} 人，stats 为 {data['representatives']}")

    def check(self) -> None:
        text = self.run("check", "--db", str(self.db))
        if "检查通过" not in text or "最新" not in text:
            raise SmokeFailure(f"check 的输出不对（结构版本应为最新）：\n{text}")

    def report_pdf(self) -> None:
        pdf = self.tmp / "m.pdf"
        self.run("report", "monthly", "--db", str(self.db), "--out", str(pdf))
        if not pdf.exists() or not pdf.read_bytes().startswith(b"%PDF"):
            raise SmokeFailure("月度汇总 PDF 没有生成")
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", "-q", str(pdf), "-"], capture_output=True, text=True).stdout
            if self.county not in text:
                raise SmokeFailure(f"月度汇总 PDF 的文字里没有县名“{self.county}”（中文字体未嵌入？）")
        shutil.copy2(pdf, self.out / "monthly.pdf")

    def report_docx(self) -> None:
        docx = self.tmp / "m.docx"
        self.run("report", "monthly", "--db", str(self.db), "--out", str(docx))
        with zipfile.ZipFile(docx) as zf:
            body = zf.read("word/document.xml").decode("utf-8")
        if self.county not in body:
            raise SmokeFailure(f"月度汇总 Word 文件里没有县名“{self.county}”")

    def export_xlsx(self) -> None:
        xlsx = self.tmp / "reps.xlsx"
        self.run("export-xlsx", "--db", str(self.db), "--ledger", "representatives", "--out", str(xlsx))
        with zipfile.ZipFile(xlsx) as zf:
            sheet = ET.fromstring(zf.read("xl/worksheets/sheet1.xml"))  # the ledger's own sheet comes first
        rows = sheet.findall(f".//{XLSX_NS}row")
        header = [t.text for t in rows[0].iter(f"{XLSX_NS}t")] if rows else []
        if "姓名" not in header or len(rows) != DEMO_SIZE + 1:
            raise SmokeFailure(f"导出的 Excel 表应有表头“姓名”和 {DEMO_SIZE} 行记录；实际 {len(rows)} 行，表头 {header[:5]}")

    def import_large(self) -> None:
        """A 12,000-row CSV: large enough that the import checks rows in a helper process, which
        the frozen program must start (multiprocessing.freeze_support in bundle_entry.py)."""
        import csv

        path = self.tmp / "大名册.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["序号", "姓名", "工作单位", "职务"])
            for i in range(IMPORT_ROWS):
                w.writerow([i + 1, f"冒烟{i:05d}", "县某单位", "职员"])
        db = self.tmp / "import.db"
        shutil.copy(self.db, db)
        for suffix in ("-wal", "-shm"):
            if Path(f"{self.db}{suffix}").exists():
                shutil.copy(f"{self.db}{suffix}", f"{db}{suffix}")
        cmd = [str(self.exe), "import-xlsx", "--db", str(db), "--ledger", "representatives", str(path)]
        proc = subprocess.Popen(cmd, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                encoding="utf-8", cwd=self.tmp)
        helpers: set[str] = set()
        while proc.poll() is None:
            helpers |= {c for c in _children(proc.pid) if "multiprocessing" in _cmdline(c)}
            time.sleep(0.05)
        out, err = proc.communicate()
        if proc.returncode != 0 or f"新增{IMPORT_ROWS}" not in out:
            raise SmokeFailure(f"导入 {IMPORT_ROWS} 行 CSV 失败（退出码 {proc.returncode}）：{out[-500:]}\n{err[-2000:]}")
        if not helpers:
            raise SmokeFailure("导入大文件时没有启动检查用的辅助进程（打包后的 multiprocessing 不可用？）")
        deadline = time.monotonic() + 5  # the helper ends with its parent (parallel_check._follow_parent)
        while (left := [c for c in helpers if Path(f"/proc/{c}").exists()]) and time.monotonic() < deadline:
            time.sleep(0.1)
        if left:
            raise SmokeFailure(f"导入结束 5 秒后辅助进程仍在运行：{[_cmdline(c)[:120] for c in left]}")

    def gui(self) -> None:
        from PIL import Image, ImageGrab

        if not shutil.which("Xvfb"):
            raise SmokeFailure("没有 Xvfb：apt-get install -y xvfb")
        read_fd, write_fd = os.pipe()
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1366x768x24",
                                 "-nolisten", "tcp"], pass_fds=(write_fd,), stderr=subprocess.DEVNULL)
        os.close(write_fd)
        log_path = self.out / "gui.log"
        gui = None
        try:
            with os.fdopen(read_fd) as fh:
                number = fh.readline().strip()
            if not number.isdigit():
                raise SmokeFailure("Xvfb 没有启动")
            display = f":{number}"
            env = dict(self.env, DISPLAY=display, QT_QPA_PLATFORM="xcb")
            with open(log_path, "w", encoding="utf-8") as log:
                gui = subprocess.Popen([str(self.gui_exe), "gui", "--db", str(self.db)], env=env, cwd=self.tmp,
                                       stdout=log, stderr=subprocess.STDOUT)
                started = time.monotonic()
                shot = None
                while time.monotonic() - started < GUI_TIMEOUT:
                    time.sleep(0.5)
                    if gui.poll() is not None:
                        raise SmokeFailure(f"图形界面启动后退出了（退出码 {gui.returncode}）：\n{_tail(log_path)}")
                    shot = ImageGrab.grab(xdisplay=display)
                    if not _blank(shot):
                        break
                else:
                    raise SmokeFailure(f"{GUI_TIMEOUT} 秒内屏幕上没有出现窗口：\n{_tail(log_path)}")
                first_paint = time.monotonic() - started
                time.sleep(GUI_SETTLE)
                if gui.poll() is not None:
                    raise SmokeFailure(f"图形界面显示后退出了（退出码 {gui.returncode}）：\n{_tail(log_path)}")
                shot = ImageGrab.grab(xdisplay=display).convert("RGB")
            path = self.out / "gui.png"
            shot.save(path)
            said = log_path.read_text(encoding="utf-8", errors="replace")
            if "Traceback" in said or re.search(r"^[\w.]*(Error|Exception)\b", said, re.M):  # a Python exception
                raise SmokeFailure(f"图形界面报告了错误（截图 {path}）：\n{_tail(log_path)}")
            colours = shot.getcolors(maxcolors=1 << 20) or []
            if _blank(shot) or len(colours) < 16:
                raise SmokeFailure(f"截图几乎是一种颜色（{len(colours)} 种颜色）：{path}")
            box = Image.eval(shot.convert("L"), lambda v: 255 if v else 0).getbbox()  # the window on black
            print(f"  截图：{path}（窗口 {box[2] - box[0]}×{box[3] - box[1]}，{len(colours)} 种颜色，"
                  f"{first_paint:.1f} 秒出现窗口）")
        finally:
            for proc in (gui, xvfb):
                if proc is not None and proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
                    try:
                        proc.wait(10)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                        proc.wait()

    # -- all of it ------------------------------------------------------------------------------
    def main(self) -> int:
        if not self.exe.exists():
            print(f"错误：没有找到打包好的程序 {self.exe}；请先运行 python scripts/build_installer.py")
            return 1
        self.out.mkdir(parents=True, exist_ok=True)
        steps = [
            ("version", "--version", self.version),
            ("demo", f"demo --size {DEMO_SIZE}", self.demo),
            ("stats", "stats --json", self.stats),
            ("check", "check", self.check),
            ("pdf", "report monthly (PDF)", self.report_pdf),
            ("docx", "report monthly (Word)", self.report_docx),
            ("xlsx", "export-xlsx", self.export_xlsx),
            ("import", f"import-xlsx（{IMPORT_ROWS} 行，两个进程检查）", self.import_large),
            ("gui", "gui under Xvfb", self.gui),
        ]
        try:
            for key, name, fn in steps:
                if self.only is None or key in self.only or key == "demo":
                    self.step(name, fn)
        except SmokeFailure as exc:
            print(f"✗ 冒烟测试失败：{exc}")
            return 1
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)
        total = sum(t for _, t in self.timings)
        print(f"打包程序冒烟测试通过（{total:.0f} 秒）。截图：{self.out / 'gui.png'}")
        return 0


def _children(pid: int) -> list[str]:
    """Every descendant of ``pid`` (Linux /proc)."""
    out, todo = [], [str(pid)]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = (task / "children").read_text().split()
            except OSError:
                continue
            out += kids
            todo += kids
    return out


def _cmdline(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _blank(img) -> bool:
    """One flat colour (Xvfb's empty black screen), or nearly so."""
    extrema = img.convert("L").getextrema()
    return extrema[1] - extrema[0] < 8


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="对打包好的程序做冒烟测试（含 Xvfb 下的图形界面截图）")
    ap.add_argument("--bundle", type=Path, default=ROOT / "dist" / "ufdesk", help="打包输出文件夹")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "smoke", help="截图与日志存放处")
    ap.add_argument("--only", help="只做这些步骤（逗号分隔：version,stats,check,pdf,docx,xlsx,gui；demo 总要做）")
    args = ap.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    return Smoke(args.bundle, args.out, only).main()


if __name__ == "__main__":
    sys.exit(main())
