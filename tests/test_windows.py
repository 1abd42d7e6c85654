"""Behaviour that only Windows has, run by the Windows leg (scripts/windows_leg.py) on Windows' own
CPython under wine; on Linux, the parts that are not Windows-specific run too."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

WINDOWS = sys.platform == "win32"


def _ufdesk(args, env=None, cwd=None):
    full = dict(os.environ)
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "ufdesk", *map(str, args)], capture_output=True, env=full,
                          cwd=cwd, stdin=subprocess.DEVNULL, timeout=300)


def test_user_data_folder_follows_appdata(tmp_path, monkeypatch):
    from ufdesk import paths

    monkeypatch.delenv("UFDESK_HOME", raising=False)
    if WINDOWS:
        monkeypatch.setenv("APPDATA", str(tmp_path / "漫游"))
        assert paths.user_data_dir() == tmp_path / "漫游" / "ufdesk"
    else:
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "数据"))
        assert paths.user_data_dir() == tmp_path / "数据" / "ufdesk"
    assert paths.default_db().parent.is_dir()


def test_chinese_file_names_and_a_long_path(tmp_path):
    deep = tmp_path / "县委统战部" / ("很长的文件夹名称" * 4) / ("二〇二六年度" * 4) / ("花名册" * 8)
    db = deep / "演示县数据库.db"
    r = _ufdesk(["demo", "--db", db, "--size", "20"])
    assert r.returncode == 0, r.stderr.decode("utf-8", "replace")
    assert len(str(db)) > 120 and db.is_file()
    out = deep / "导出的代表人士名单.xlsx"
    r = _ufdesk(["export-xlsx", "--db", db, "--ledger", "代表人士", "--out", out])
    assert r.returncode == 0 and out.stat().st_size > 1000, r.stderr.decode("utf-8", "replace")


def test_console_code_page_output_redirected_to_a_file(tmp_path):
    """What a Windows console user gets with ``ufdesk stats > 结果.txt``: the locale's code page is
    the stream's encoding (cp1252 on this wine, cp936 on a Chinese Windows), and the file is UTF-8."""
    db = tmp_path / "d.db"
    assert _ufdesk(["demo", "--db", db, "--size", "20"]).returncode == 0
    target = tmp_path / "结果.txt"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8")}
    with open(target, "wb") as fh:
        r = subprocess.run([sys.executable, "-m", "ufdesk", "stats", "--db", str(db)], stdout=fh,
                           stderr=subprocess.PIPE, env=env, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stderr
    assert "代表人士：20" in target.read_text(encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "ufdesk", "stats", "--db", str(db), "--json"], capture_output=True,
                       env=env, stdin=subprocess.DEVNULL)
    assert json.loads(r.stdout.decode("utf-8"))["representatives"] == 20


def _square(n):
    return n * n


def test_multiprocessing_spawn_imports_ufdesk_in_the_child():
    """Windows starts worker processes by spawning a fresh interpreter (the import's helper does)."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        assert pool.map(_square, range(5)) == [0, 1, 4, 9, 16]
    if WINDOWS:
        assert multiprocessing.get_start_method() == "spawn"


def test_sqlite_on_this_python_has_what_the_store_needs():
    import sqlite3

    con = sqlite3.connect(":memory:")
    assert con.execute("PRAGMA journal_mode=WAL").fetchone()[0] in ("memory", "wal")
    assert con.execute("select json_extract('{\"a\": 1}', '$.a')").fetchone()[0] == 1
    assert Path(sys.executable).exists()


def _open_files(path: Path) -> list[str]:
    """The files of ``path`` this process has open (Linux's /proc; on Windows the deletion below
    is the test: an open file cannot be deleted there)."""
    if not os.path.isdir("/proc/self/fd"):
        return []
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(path)):
            found.append(target)
    return found


def test_a_command_lets_go_of_the_database_when_it_ends(tmp_path, capsys):
    """File locking: a script (or a test) running commands one after another in one process, then
    deleting or replacing the database — a restore does — finds no file still held open."""
    from ufdesk.cli import main

    db = tmp_path / "县.db"
    assert main(["demo", "--db", str(db), "--size", "20"]) == 0
    for argv in (["stats", "--db", str(db)], ["export-xlsx", "--db", str(db), "--ledger", "代表人士", "--out",
                                                str(tmp_path / "名单.xlsx")],
                 ["backup", "--db", str(db), "--out", str(tmp_path / "县.ufbak")]):
        assert main(argv) == 0, capsys.readouterr().err
        assert _open_files(db) == [], argv
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)  # PermissionError (WinError 32) while open
    assert not db.exists()
