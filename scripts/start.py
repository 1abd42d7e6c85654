#!/usr/bin/env python3
"""Set up ufdesk in a virtual environment and start it — on the demo county (its own file,
demo.db in the user-data folder) when this PC has no database yet. Works on Windows 10/11 and Linux:  python scripts/start.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


CONSTRAINTS = ROOT / "constraints.txt"
UFDESK = BIN / ("ufdesk.exe" if os.name == "nt" else "ufdesk")  # the command, once installed


def _installed(extra: str) -> bool:
    """Whether an install at least as complete as ``extra`` is newer than what defines it: the
    [test] install (scripts/test.py) also serves start.py, so nothing is reinstalled."""
    newest = max((ROOT / f).stat().st_mtime for f in ("pyproject.toml", "setup.py", "constraints.txt")
                 if (ROOT / f).exists())
    stamps = [VENV / f".installed{extra}"] + ([VENV / ".installed[test]"] if extra == "" else [])
    return any(s.exists() and s.stat().st_mtime >= newest for s in stamps)


def ensure_venv(extra: str = "") -> None:
    if not PY.exists():
        print("正在建立虚拟环境 .venv …")
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not _installed(extra):
        print("正在安装依赖（首次需要几分钟）…")
        subprocess.check_call([str(PY), "-m", "pip", "install", "-q", "--upgrade", "pip"])
        pins = ["-c", str(CONSTRAINTS)] if CONSTRAINTS.exists() else []  # the versions the tests passed with
        subprocess.check_call([str(PY), "-m", "pip", "install", "-q", *pins, "-e", f"{ROOT}{extra}"])
        (VENV / f".installed{extra}").touch()
        print(f"已安装。ufdesk 命令在：{UFDESK}（也可用 {PY} -m ufdesk）")


def main() -> int:
    ensure_venv()
    env = dict(os.environ)
    args = sys.argv[1:]
    if "--db" not in args:
        # the real database last used (or at the default path); else the demo county in its own
        # file (demo.db) — the fictional county never takes the real database's place
        code = ("from ufdesk.app import start_database; import sys; "
                "p, build = start_database(); sys.stdout.write(('1' if build else '0') + p)")
        answer = subprocess.check_output([str(PY), "-c", code], env=env, text=True).strip()
        build, db = answer[0] == "1", answer[1:]
        if build:
            print(f"本机还没有数据，正在生成演示县（单独的演示文件）：{db}")
            subprocess.check_call([str(PY), "-m", "ufdesk", "demo", "--db", db, "--force"], env=env)
        args = ["--db", db, *args]
    return subprocess.call([str(PY), "-m", "ufdesk", "gui", *args], env=env)


if __name__ == "__main__":
    sys.exit(main())
