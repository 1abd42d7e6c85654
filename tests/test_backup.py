"""Backups, restore, retention and faults: what an office notices when a disk fills, a file is
damaged, a second program holds the database, or a backup has to be brought back."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3

import pytest
import sqlalchemy as sa
from stdnum.iso7064 import mod_11_2

from ufdesk.domain.errors import PermissionDenied, StoreError, UfError
from ufdesk.services import Services, audit, backup, users
from ufdesk.services.retention import candidates, purge
from ufdesk.store import Store
from ufdesk.store.check import check

PW = "correct-horse-1"


def idno(seq: int) -> str:
    body = f"510599198001{seq % 28 + 1:02d}{seq % 1000:03d}"
    return body + mod_11_2.calc_check_digit(body)


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("UFDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(users, "SCRYPT_N", 2**10)
    return tmp_path / "home"


def fill(svc: Services, n: int = 30) -> list[str]:
    out = []
    for i in range(n):
        out.append(svc.create("representatives", {"name": f"代表{i}", "id_number": idno(i), "mobile": "13812345678"}).uuid)
    svc.create("chambers", {"name": "县工商联", "kind": "01"})
    return out


def names(store) -> set[str]:
    with store.connect() as conn:
        return set(conn.execute(sa.text("SELECT name FROM representatives WHERE deleted = 0")).scalars())


def damage(path) -> None:
    """Overwrite the middle of the file with garbage, as a failing disk or a pulled stick does."""
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        f.seek(0)
        f.write(b"\xde\xad\xbe\xef" * 1024)  # the header and the schema page
        f.seek(size // 2)
        f.write(os.urandom(8192))


# -- backup, damage, restore ---------------------------------------------------------------------
def test_backup_then_damage_then_restore_gives_back_every_record(store, services):
    fill(services)
    before = names(store)
    info = backup.make_backup(store)
    assert info.ok and info.counts["representatives"] == 30 and info.counts["chambers"] == 1
    assert "代表人士 30" in info.describe()
    path = store.path
    store.close()
    damage(path)
    ok, lines = check(path)
    assert not ok, "a damaged file is detected"
    with pytest.raises(StoreError, match="已损坏"):
        Store.open(path)
    good = backup.newest_good_backup(path)
    assert good is not None and good.path == info.path
    done = backup.restore(path, good.path)
    assert done.counts["representatives"] == 30
    assert done.before is not None and done.before.exists(), "the damaged file is kept, not thrown away"
    assert check(path)[0]
    again = Store.open(path)
    try:
        assert names(again) == before
        with again.connect() as conn:
            assert audit.entries(conn, action="restore")
    finally:
        again.close()


def test_restore_first_backs_up_the_current_state(store, services):
    fill(services, 3)
    first = backup.make_backup(store)
    services.create("representatives", {"name": "后来的人"})
    store.close()
    done = backup.restore(store.path, first.path)
    saved = backup.inspect(done.before)
    assert saved.kind == "before-restore" and saved.counts["representatives"] == 4
    s = Store.open(store.path)
    try:
        assert "后来的人" not in names(s)
        # and a wrong restore can itself be undone from that copy
        s.close()
        backup.restore(store.path, done.before)
        s = Store.open(store.path)
        assert "后来的人" in names(s)
    finally:
        s.close()


def test_restore_checks_the_login_against_the_backups_users_when_the_db_is_damaged(store, services):
    users.add_user(store, "张主任", PW, "admin")
    users.add_user(store, "小李", PW, "editor", by="张主任")
    fill(Services(store, user="张主任", role="admin"), 2)
    info = backup.make_backup(store)
    store.close()
    damage(store.path)
    with pytest.raises(PermissionDenied, match="管理员登录"):
        backup.restore(store.path, info.path)
    with pytest.raises(users.LoginFailed):
        backup.restore(store.path, info.path, user="张主任", password="wrong-password")
    with pytest.raises(PermissionDenied, match="不是管理员"):
        backup.restore(store.path, info.path, user="小李", password=PW)
    assert not check(store.path)[0], "nothing was replaced after a refused login"
    done = backup.restore(store.path, info.path, user="张主任", password=PW)
    assert done.user == "张主任" and done.counts["representatives"] == 2


def test_a_damaged_backup_is_refused_and_changes_nothing(store, services, tmp_path):
    fill(services, 2)
    info = backup.make_backup(store)
    damage(info.path)
    assert not backup.inspect(info.path).ok
    assert backup.newest_good_backup(store) is None
    with pytest.raises(UfError, match="备份"):
        backup.restore(store.path, info.path)
    assert len(names(store)) == 2


def test_encrypted_copy_reveals_nothing_and_restores_with_the_passphrase(store, services, tmp_path):
    fill(services, 5)
    out = tmp_path / "stick" / "县备份.ufbak"
    backup.export_copy(store, out, passphrase="县里的备份口令-26")
    raw = out.read_bytes()
    assert backup.is_encrypted(out) and b"SQLite format" not in raw and idno(1).encode() not in raw
    assert not list(out.parent.glob("*.part"))
    store.close()
    with pytest.raises(UfError, match="口令"):
        backup.restore(store.path, out, passphrase="不对的口令")
    cut = tmp_path / "cut.ufbak"
    cut.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(UfError, match="不完整"):
        backup.restore(store.path, cut, passphrase="县里的备份口令-26")
    assert backup.restore(store.path, out, passphrase="县里的备份口令-26").counts["representatives"] == 5


def test_rotation_keeps_7_daily_4_weekly_12_monthly(store, home):
    start = dt.datetime(2026, 11, 23, 18, 0)
    days = [*range(0, 60), *range(60, 400, 4)]  # daily for two months, then every few days, to 400 days
    for day in sorted(days, reverse=True):  # oldest first, as time goes; two on some days
        if day % 50 == 0:
            backup.make_backup(store, "manual", now=start - dt.timedelta(days=day, hours=3))
        backup.make_backup(store, "auto", now=start - dt.timedelta(days=day))
    kept = backup.list_backups(store)
    dates = sorted({k.at.date() for k in kept}, reverse=True)
    assert len(kept) == len(dates), "one copy a day at most"
    assert dates[:7] == [(start - dt.timedelta(days=d)).date() for d in range(7)]
    assert len({d.isocalendar()[:2] for d in dates}) >= 4
    months = {(d.year, d.month) for d in dates}
    assert len(months) == 12 and (2025, 12) in months and (2025, 11) not in months
    assert len(kept) <= 7 + 4 + 12


def test_automatic_backup_is_at_most_daily(store, services):
    fill(services, 1)
    now = dt.datetime(2026, 11, 23, 9, 0)
    assert backup.auto_backup(store, now=now) is not None
    assert backup.auto_backup(store, now=now + dt.timedelta(hours=8)) is None
    assert backup.auto_backup(store, now=now + dt.timedelta(days=1)) is not None


def test_postgresql_is_told_to_use_pg_dump():
    with pytest.raises(UfError, match="pg_dump"):
        backup.make_backup("postgresql://u@localhost/ufdesk")
    with pytest.raises(UfError, match="pg_dump"):
        backup.restore("postgresql://u@localhost/ufdesk", __file__)


# -- faults --------------------------------------------------------------------------------------
def test_full_disk_during_a_save_says_so_and_loses_nothing(store, services):
    fill(services, 3)

    @sa.event.listens_for(store.engine, "connect")
    def _small(dbapi_conn, _rec):
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages + 2}")

    store.engine.dispose()  # new connections get the limit: the "disk" is now nearly full
    with pytest.raises(StoreError, match="磁盘已满"):
        services.create("representatives", {"name": "很长的简历", "resume": "经历" * 200_000})
    assert len(names(store)) == 3
    store.close()
    assert check(store.path)[0]


def test_a_second_program_holding_the_database_gets_a_clear_message(store, services):
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the other program is in the middle of a save
    try:
        with pytest.raises(StoreError, match="另一个程序"):
            services.create("representatives", {"name": "等不到的人"})
    finally:
        other.execute("ROLLBACK")
        other.close()
    services.create("representatives", {"name": "等到了的人"})
    assert names(store) == {"等到了的人"}


def test_read_only_database_opens_read_only_and_refuses_to_save(store, monkeypatch):
    path = store.path
    store.close()
    import ufdesk.store.db as dbmod

    monkeypatch.setattr(dbmod.os, "access", lambda p, mode: mode != os.W_OK)
    ro = Store.open(path)
    try:
        assert ro.readonly
        with pytest.raises(StoreError, match="只读"):
            Services(ro).create("representatives", {"name": "王伟"})
        assert ro.county_name == "测试县"
    finally:
        ro.close()


# -- retention -----------------------------------------------------------------------------------
def test_purge_leaves_tombstones_without_personal_data_and_an_audit_entry(store, services):
    old = services.create("representatives", {"name": "老代表", "id_number": idno(7), "status": "2",
                                                "left_on": dt.date(2015, 6, 1)}).uuid
    recent = services.create("representatives", {"name": "新退出", "status": "3", "left_on": dt.date(2024, 1, 1)}).uuid
    services.create("representatives", {"name": "未填日期", "status": "2"})
    cadre = services.create("cadres", {"name": "老干部", "post": "01", "left_on": dt.date(2010, 1, 1)}).uuid
    services.update("representatives", old, {"mobile": "13912345678"})
    admin = Services(store, user="张主任", role="admin")
    with pytest.raises(PermissionDenied):
        purge(Services(store, user="小李", role="editor"), 5)
    dry = purge(admin, 5, dry_run=True, today=dt.date(2026, 11, 23))
    assert dry.uuids == {"representatives": [old], "cadres": [cadre]} and dry.undated == 1
    assert "老代表" in names(store)
    done = purge(admin, 5, today=dt.date(2026, 11, 23))
    assert done.total == 2 and recent not in done.uuids["representatives"]
    with store.connect() as conn:
        row = conn.execute(sa.text("SELECT * FROM representatives WHERE uuid = :u"), {"u": old}).mappings().one()
        assert row["deleted"] and row["name"] is None and row["id_number"] is None
        log = audit.entries(conn)
    assert not any("老代表" in (e["summary"] or "") or "老代表" in (e["details"] or "") for e in log)
    summary = [e for e in log if e["action"] == "purge" and e["record"] is None]
    assert summary and "2 条" in summary[0]["summary"] and summary[0]["user"] == "张主任"
    assert candidates(store, 5, today=dt.date(2026, 11, 23)).total == 0


# -- the command line ----------------------------------------------------------------------------
@pytest.fixture
def ufdesk(monkeypatch, capsys):
    """Run the command line in this process (stdin is no terminal, as in a script)."""
    from types import SimpleNamespace

    from ufdesk.cli import main

    def run(*args, env=None, home=None):
        for k in ("UFDESK_USER", "UFDESK_PASSWORD", "UFDESK_NEW_PASSWORD", "UFDESK_PASSPHRASE"):
            monkeypatch.delenv(k, raising=False)
        for k, v in (env or {}).items():
            monkeypatch.setenv(k, v)
        code = main([str(a) for a in args])
        io = capsys.readouterr()
        return SimpleNamespace(returncode=code, stdout=io.out, stderr=io.err)

    return run


def test_cli_backup_restore_purge_and_audit(store, services, tmp_path, home, ufdesk):
    fill(services, 4)
    users.add_user(store, "张主任", PW, "admin")
    users.add_user(store, "查阅员", PW, "viewer", by="张主任")
    db = str(store.path)
    store.close()
    admin = {"UFDESK_USER": "张主任", "UFDESK_PASSWORD": PW}
    viewer = {"UFDESK_USER": "查阅员", "UFDESK_PASSWORD": PW}
    out = tmp_path / "copy.db"
    r = ufdesk("backup", "--db", db, "--out", str(out), env=viewer, home=home)
    assert r.returncode == 1 and "没有权限" in r.stderr and not out.exists()
    r = ufdesk("backup", "--db", db, "--out", str(out), env=admin, home=home)
    assert r.returncode == 0, r.stderr
    enc = tmp_path / "copy.ufbak"
    r = ufdesk("backup", "--db", db, "--out", str(enc), "--encrypt", env=admin, home=home)
    assert r.returncode == 1 and "UFDESK_PASSPHRASE" in r.stderr
    r = ufdesk("backup", "--db", db, "--out", str(enc), "--encrypt", env={**admin, "UFDESK_PASSPHRASE": "口令口令口令口令"},
               home=home)
    assert r.returncode == 0 and backup.is_encrypted(enc), r.stderr
    kept = backup.make_backup(db, "auto")
    damage(db)
    r = ufdesk("stats", "--db", db, env=admin, home=home)
    assert r.returncode == 1 and "已损坏" in r.stderr and "Traceback" not in r.stderr
    r = ufdesk("check", "--db", db, home=home)
    assert r.returncode == 1 and "检查未通过" in r.stderr
    assert "最新的完好备份" in r.stderr and str(kept.path) in r.stderr, "check points to the backup to restore"
    r = ufdesk("restore", "--db", db, str(enc), env={**viewer, "UFDESK_PASSPHRASE": "口令口令口令口令"}, home=home)
    assert r.returncode == 1 and "不是管理员" in r.stderr
    r = ufdesk("restore", "--db", db, str(enc), env={**admin, "UFDESK_PASSPHRASE": "口令口令口令口令"}, home=home)
    assert r.returncode == 0, r.stderr
    assert "代表人士 4" in r.stdout and "恢复前的数据已备份" in r.stdout
    assert ufdesk("check", "--db", db, home=home).returncode == 0
    r = ufdesk("purge", "--db", db, "--older-than", "5", "--dry-run", env=admin, home=home)
    assert r.returncode == 0 and "将清除" in r.stdout and "未做任何修改" in r.stdout, r.stderr
    r = ufdesk("stats", "--db", db, env={**admin, "UFDESK_PASSWORD": "not-the-one"}, home=home)
    assert r.returncode == 1
    xlsx = tmp_path / "audit.xlsx"
    r = ufdesk("audit", "--db", db, "--out", str(xlsx), env=viewer, home=home)
    assert r.returncode == 1 and not xlsx.exists()
    r = ufdesk("audit", "--db", db, "--out", str(xlsx), env=admin, home=home)
    assert r.returncode == 0, r.stderr
    from openpyxl import load_workbook

    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    acts = {row[2] for row in rows[1:]}
    assert {"新增", "登录", "登录失败", "恢复备份", "备份", "新增用户"} <= acts
    text = "\n".join(str(c) for row in rows for c in row)
    assert idno(1) not in text and "13812345678" not in text
