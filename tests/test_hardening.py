"""No sensitive leftovers, as a clerk meets them on the command line (issue 17 item 7): the
database, its backups and a full-ID export are readable by their owner only; the temporary files
of a killed export sit in the private user-data folder and are swept at the next start; an SQL
error names no value; an unknown user name and a wrong password get the same answer and the same
lock; and the lock holds on a database opened read-only."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_tree import run

PW = "登录密码-2026"
ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False
pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's")  # Windows: ACLs of the user folder


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def text(r) -> tuple[str, str]:
    return r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


def home() -> Path:
    return Path(os.environ["UFDESK_HOME"])


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = tmp_path_factory.mktemp("hardening") / "demo.db"
    assert run(["demo", "--db", db, "--size", "1500"]).returncode == 0
    return db


@pytest.fixture
def county(demo, tmp_path):
    import shutil

    db = tmp_path / "county.db"
    shutil.copyfile(demo, db)
    return db


def test_database_backups_and_a_full_id_export_are_the_owners_alone(tmp_path, county):
    os.chmod(county, 0o644)  # a file made by an older version
    assert run(["stats", "--db", county]).returncode == 0
    assert mode(county) == 0o600, "opened once: made private"
    new = tmp_path / "new.db"
    places = tmp_path / "places.csv"
    places.write_text("代码,名称\n510599100,城关镇\n", encoding="utf-8")
    r = run(["init", "--db", new, "--county", "测试县", "--county-code", "510599", "--townships", places])
    assert r.returncode == 0, text(r)
    assert mode(new) == 0o600
    r = run(["backup", "--db", county, "--out", tmp_path / "副本.db"])
    assert r.returncode == 0, text(r)
    assert mode(tmp_path / "副本.db") == 0o600
    r = run(["export-xlsx", "--db", county, "--ledger", "representatives", "--out", tmp_path / "全号.xlsx",
             "--full-ids"])
    assert r.returncode == 0, text(r)
    assert mode(tmp_path / "全号.xlsx") == 0o600
    r = run(["restore", "--db", county, tmp_path / "副本.db"])
    assert r.returncode == 0, text(r)
    assert mode(county) == 0o600
    [before] = (home() / "backups").glob("county_*_before-restore.db")
    assert mode(before) == 0o600


def test_a_killed_export_leaves_its_working_files_only_in_the_private_folder_and_they_are_swept(tmp_path, county):
    shared_tmp = tmp_path / "系统临时文件夹"
    shared_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(shared_tmp)}
    proc = subprocess.Popen([sys.executable, "-m", "ufdesk", "export-xlsx", "--db", str(county), "--ledger", "all",
                             "--out", str(tmp_path / "全号.xlsx"), "--full-ids"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    private = home() / "tmp"
    own = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        own = [f for d in private.glob(f"p{proc.pid}-*") for f in d.iterdir()] if private.is_dir() else []
        if own:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert own, "the export's spilled sheets were seen in the private folder before it was killed"
    assert mode(private) == 0o700 and mode(own[0].parent) == 0o700
    assert list(shared_tmp.iterdir()) == [], "nothing in the shared temporary folder"
    assert not (tmp_path / "全号.xlsx").exists()
    assert any(p.exists() for p in own), "killed: nothing removed it"
    assert run(["stats", "--db", county]).returncode == 0  # the next start
    assert not any(p.exists() for p in own) and not list(private.glob(f"p{proc.pid}-*"))


def test_an_sql_error_names_no_value_in_the_message_or_the_log(tmp_path, county):
    conn = sqlite3.connect(county)
    conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON representatives BEGIN SELECT RAISE(ABORT, 'refused'); END")
    conn.commit()
    conn.close()
    roster = tmp_path / "花名册.csv"
    idn = "510522198001011230"
    roster.write_text(f"姓名,性别,身份证号\n王秘密,男,{idn}\n", encoding="utf-8")
    r = run(["import-xlsx", "--db", county, "--ledger", "representatives", roster])
    out, err = text(r)
    assert r.returncode != 0 and err.strip()
    assert idn not in out + err and "王秘密" not in out + err
    logged = "".join(p.read_text(encoding="utf-8", errors="replace") for p in (home() / "logs").glob("*.log*"))
    assert "IntegrityError" in logged, "the failure itself is in the log"
    assert idn not in logged and "王秘密" not in logged


def test_a_traceback_of_a_failed_write_shows_the_sql_but_no_value(county):
    """What a traceback prints (a crash on a terminal, the GUI's error hook): the statement, and
    in place of its values SQLAlchemy's note that they are hidden."""
    import traceback

    from ufdesk.app import open_services

    conn = sqlite3.connect(county)
    conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON representatives BEGIN SELECT RAISE(ABORT, 'refused'); END")
    conn.commit()
    conn.close()
    svc = open_services(county)
    values = {"name": "王" + "秘密", "gender": "1", "id_number": "510522" + "198001011230", "mobile": "138" + "00138000"}
    try:
        with pytest.raises(Exception) as caught:  # the source lines a traceback quotes hold no whole value
            svc.create("representatives", values)
    finally:
        svc.close()
    shown = "".join(traceback.format_exception(caught.value))
    assert "INSERT INTO representatives" in shown and "hidden" in shown
    assert not [v for v in values.values() if len(v) > 1 and v in shown]


def _users(db):
    from ufdesk.services import users
    from ufdesk.store import Store

    s = Store.open(db)
    users.add_user(s, "张主任", PW, "admin")
    s.close()


def _stats(db, name, password):
    return run(["stats", "--db", db], env={"UFDESK_USER": name, "UFDESK_PASSWORD": password})


def test_unknown_name_and_wrong_password_get_the_same_answer_and_the_same_lock(county):
    _users(county)
    for left in (4, 3, 2, 1):
        real, unknown = _stats(county, "张主任", "错误的密码xx"), _stats(county, "张主人", "错误的密码xx")
        assert real.returncode == unknown.returncode == 1
        assert text(real)[1] == text(unknown)[1]
        assert f"用户名或密码错误（还可再试 {left} 次" in text(real)[1]
    real, unknown = _stats(county, "张主任", "错误的密码xx"), _stats(county, "张主人", "错误的密码xx")
    assert "已锁定" in text(real)[1] and "已锁定" in text(unknown)[1]
    assert text(real)[1].replace("张主任", "") == text(unknown)[1].replace("张主人", "")
    assert "已锁定" in text(_stats(county, "张主任", PW))[1], "locked even with the right password"
    counter = home() / "login-failures.json"
    assert mode(counter) == 0o600 and "张主人" not in counter.read_text(encoding="utf-8")


def test_a_disabled_user_is_told_so_only_with_the_right_password(county):
    from ufdesk.services import users
    from ufdesk.store import Store

    _users(county)
    s = Store.open(county)
    users.add_user(s, "老王", PW, "editor", by="张主任")
    users.disable(s, "老王", by="张主任")
    s.close()
    assert "用户名或密码错误" in text(_stats(county, "老王", "错误的密码xx"))[1]
    assert "已停用" in text(_stats(county, "老王", PW))[1]


@pytest.fixture
def readonly_county(county, tmp_path):
    """The county with an administrator, on a write-protected medium."""
    import shutil

    _users(county)
    folder = tmp_path / "写保护U盘"
    if ROOT:
        folder.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(folder)], check=True)
        shutil.copy(county, folder / "county.db")
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder / "county.db"
        subprocess.run(["umount", "-l", str(folder)], check=False)
    else:
        folder.mkdir()
        shutil.copy(county, folder / "county.db")
        (folder / "county.db").chmod(0o444)
        folder.chmod(0o555)
        yield folder / "county.db"
        folder.chmod(0o755)


def test_failed_logins_lock_a_read_only_database_too_and_it_says_where_they_are_counted(readonly_county):
    before = readonly_county.read_bytes()
    for left in (4, 3, 2, 1):
        r = _stats(readonly_county, "张主任", "错误的密码xx")
        err = text(r)[1]
        assert r.returncode == 1 and f"还可再试 {left} 次" in err and "只读" in err and "Traceback" not in err
    err = text(_stats(readonly_county, "张主任", "错误的密码xx"))[1]
    assert "已锁定" in err and "只读" in err
    r = _stats(readonly_county, "张主任", PW)
    assert r.returncode == 1 and "已锁定" in text(r)[1]
    assert readonly_county.read_bytes() == before


def test_reports_rosters_and_rejects_a_clerk_saves_are_the_owners_alone(tmp_path, county):
    """Every file the clerk asks for that names people — a report as PDF or Word, a roster sheet
    without full numbers, the rejects of an import — is 0600 from its first byte, as the
    database is (the umask would make it 0644)."""
    from openpyxl import Workbook

    old = os.umask(0o022)
    try:
        for out, argv in ((tmp_path / "月报.pdf", ["report", "monthly"]), (tmp_path / "月报.docx", ["report", "monthly"]),
                          (tmp_path / "花名册.docx", ["report", "roster"])):
            r = run([*argv, "--db", county, "--out", out])
            assert r.returncode == 0, text(r)
            assert mode(out) == 0o600, out.name
        r = run(["export-xlsx", "--db", county, "--ledger", "representatives", "--out", tmp_path / "名册.xlsx"])
        assert r.returncode == 0, text(r)
        assert mode(tmp_path / "名册.xlsx") == 0o600
        wb = Workbook()
        wb.active.append(["姓名", "性别", "身份证号", "所属乡镇"])
        wb.active.append(["王小明", "男", "123", "城关镇"])
        wb.save(tmp_path / "报来的.xlsx")
        rejects = tmp_path / "退回.xlsx"
        r = run(["import-xlsx", "--db", county, "--ledger", "representatives", tmp_path / "报来的.xlsx",
                 "--skip-invalid", "--rejects", rejects])
        assert rejects.exists(), text(r)
        assert mode(rejects) == 0o600
    finally:
        os.umask(old)
