"""The log: in the user-data folder, rotating, with start-ups and errors — and never personal data.
A day's work (demo, edits, a failed save, import, export, report, package, backup, an internal
error whose message quotes an ID number) runs in subprocesses, then the log is searched for
every ID number and name in the demo county."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from cli_tree import run

EDITS = r"""
import sys
from ufdesk.logs import setup
setup("cli", "test-edits")
from ufdesk.services import Services
from ufdesk.store import Store
from ufdesk.domain.errors import UfError
svc = Services(Store.open(sys.argv[1]), user="测试员")
row = svc.store.connect().exec_driver_sql("select uuid, name, id_number from representatives limit 1").fetchone()
svc.update("representatives", row[0], {"employer": "县人民医院", "position": "院长"})
try:
    svc.update("representatives", row[0], {"id_number": "123"})   # refused: the message names the person
except UfError:
    import logging; logging.getLogger("ufdesk").info("保存被拒绝")
raise RuntimeError(f"内部错误：{row[1]} {row[2]}")   # an unforeseen error quoting personal data
"""


def _people(db: Path) -> tuple[list[str], list[str]]:
    con = sqlite3.connect(db)
    rows = con.execute("select name, id_number, mobile from representatives").fetchall()
    rows += con.execute("select name, null, null from cadres").fetchall()
    con.close()
    names = [r[0] for r in rows if r[0] and len(r[0]) >= 2]
    numbers = [x for r in rows for x in r[1:] if x]
    return names, numbers


@pytest.fixture
def day_of_work(tmp_path):
    env = {"UFDESK_PASSPHRASE": "测试口令 long enough 123"}
    db = tmp_path / "county.db"
    assert run(["demo", "--db", db, "--size", "60"]).returncode == 0
    r = subprocess.run([sys.executable, "-c", EDITS, str(db)], capture_output=True, env=dict(os.environ))
    assert r.returncode == 1 and b"RuntimeError" in r.stderr  # the hook let it through to stderr
    assert run(["export-xlsx", "--db", db, "--ledger", "代表人士", "--out", tmp_path / "名单.xlsx",
                "--full-ids"]).returncode == 0
    assert run(["import-xlsx", "--db", db, "--ledger", "代表人士", tmp_path / "名单.xlsx", "--update"]).returncode in (0, 1)
    assert run(["report", "roster", "--db", db, "--out", tmp_path / "花名册.pdf"]).returncode == 0
    town = sqlite3.connect(db).execute("select code from townships limit 1").fetchone()[0]
    assert run(["package", "export", "--db", db, "--to", town, "--out", tmp_path / "p.ufpkg"], env=env).returncode == 0
    assert run(["backup", "--db", db, "--out", tmp_path / "备份.db"]).returncode == 0
    assert run(["stats", "--db", tmp_path / "没有.db"]).returncode == 1  # an error, logged
    return db


def test_the_log_holds_the_day_but_no_personal_data(day_of_work):
    log = Path(os.environ["UFDESK_HOME"]) / "logs" / "ufdesk.log"
    text = log.read_text(encoding="utf-8")
    for command in ("demo", "export-xlsx", "import-xlsx", "report", "package export", "backup", "test-edits"):
        assert f"（cli {command}）" in text, command
    assert "Python 3." in text and "RuntimeError" in text and "Traceback" in text  # the crash, by type
    names, numbers = _people(day_of_work)
    assert len(names) > 50 and len(numbers) > 50
    leaked = [x for x in numbers + names if x in text]
    assert not leaked, f"personal data in the log: {leaked[:5]}"


def test_diagnostics_zip_for_the_it_person(day_of_work, tmp_path):
    r = run(["diagnostics", "--db", day_of_work, "--out", tmp_path / "诊断.zip"])
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(tmp_path / "诊断.zip") as z:
        names = set(z.namelist())
        assert {"versions.json", "logs/ufdesk.log", "database.json"} <= names
        blob = "".join(z.read(n).decode("utf-8", "replace") for n in names)
    assert '"SQLAlchemy"' in blob and '"representatives": 60' in blob
    people, numbers = _people(day_of_work)
    assert not [x for x in numbers + people if x in blob]


