"""psycopg is the optional ``postgres`` extra: without it a SQLite office runs as before, and a
postgresql:// address gets one Chinese sentence saying what to install — no traceback."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run the CLI as an install without the extra would: psycopg cannot be imported.
WITHOUT_PSYCOPG = ("import sys; sys.modules['psycopg'] = None; sys.argv[0] = 'ufdesk'; "
                   "from ufdesk.__main__ import main; sys.exit(main())")


def ufdesk_without_psycopg(*args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", WITHOUT_PSYCOPG, *args], capture_output=True, encoding="utf-8",
                          cwd=cwd)


def test_psycopg_is_an_extra_not_a_requirement():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not any(d.lower().startswith("psycopg") for d in project["dependencies"])
    assert any(d.startswith("psycopg") for d in project["optional-dependencies"]["postgres"])


def test_a_server_address_without_psycopg_says_what_to_install(tmp_path):
    for args in (["setting", "list"], ["check"]):
        r = ufdesk_without_psycopg(*args, "--db", "postgresql://ufdesk@127.0.0.1:1/ufdesk", cwd=tmp_path)
        assert r.returncode == 1, r.stderr
        assert "Traceback" not in r.stderr and "ModuleNotFoundError" not in r.stderr, r.stderr
        assert 'pip install "ufdesk[postgres]"' in r.stdout + r.stderr, (args, r.stdout, r.stderr)


def test_a_sqlite_office_needs_no_psycopg(tmp_path):
    db, places = tmp_path / "本县.db", tmp_path / "乡镇.csv"
    places.write_text("代码,名称\n510599100,城关镇\n510599100001,东街社区\n", encoding="utf-8")
    r = ufdesk_without_psycopg("init", "--db", str(db), "--county-code", "510599", "--county", "测试县",
                               "--townships", str(places), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = ufdesk_without_psycopg("check", "--db", str(db), cwd=tmp_path)
    assert r.returncode == 0 and "检查通过" in r.stdout, r.stdout + r.stderr
