#!/usr/bin/env python3
"""Set up ufdesk in a virtual environment and start it — on the demo county when this PC
has no data yet. Works on Windows 10/11 and Linux:  python scripts/start.py
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


UFDESK = BIN / ("ufdesk.exe" if os.name == "nt" else "ufdesk")  # the command, once installed


def _installed(extra: str) -> bool:
    """Whether an install at least as complete as ``extra`` is newer than what defines it: the
    [test] install (scripts/test.py) also serves start.py, so nothing is reinstalled."""
    newest = max((ROOT / f).stat().st_mtime for f in ("pyproject.toml", "setup.py") if (ROOT / f).exists())
    stamps = [VENV / f".installed{extra}"] + ([VENV / ".installed[test]"] if extra == "" else [])
    return any(s.exists() and s.stat().st_mtime >= newest for s in stamps)


def ensure_venv(extra: str = "") -> None:
    if not PY.exists():
        print("正在建立虚拟环境 .venv …")
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not _installed(extra):
        print("正在安装依赖（首次需要几分钟）…")
        subprocess.check_call([str(PY), "-m", "pip", "install", "-q", "--upgrade", "pip"])
        subprocess.check_call([str(PY), "-m", "pip", "install", "-q", "-e", f"{ROOT}{extra}"])
        (VENV / f".installed{extra}").touch()
        print(f"已安装。ufdesk 命令在：{UFDESK}（也可用 {PY} -m ufdesk）")


def main() -> int:
    ensure_venv()
    env = dict(os.environ)
    code = (
        "from ufdesk.paths import default_db; import sys; sys.stdout.write(str(default_db()))"
    )
    db = subprocess.check_output([str(PY), "-c", code], env=env, text=True).strip()
    args = sys.argv[1:]
    if "--db" not in args and not Path(db).exists():
        print(f"本机还没有数据，正在生成演示县：{db}")
        subprocess.check_call([str(PY), "-m", "ufdesk", "demo", "--db", db], env=env)
    if "--db" not in args:
        args = ["--db", db, *args]
    return subprocess.call([str(PY), "-m", "ufdesk", "gui", *args], env=env)


if __name__ == "__main__":
    sys.exit(main())
