"""Restore asks the live database who may restore (``ufdesk restore`` as an office runs it): a
disabled administrator holding an old backup, and an outsider with a database of their own
making, are both refused and the live file is left as it was; the backup's users count only
when the live file cannot be opened, and the restore says so in the audit."""

from __future__ import annotations

import sqlite3

import pytest

from ufdesk.cli import main
from ufdesk.services import Services, backup, users
from ufdesk.store import Store

PW = "登录密码-2026"
COUNTY = dict(county_code="510599", county_name="测试县", townships=[("510599100", "城关镇")])


def people(store, n, prefix="人"):
    svc = Services(store, user="录入")
    for i in range(n):
        svc.create("representatives", {"name": f"{prefix}{i}", "gender": "1", "township": "510599100"})


def rows(db) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM representatives").fetchone()[0]
    finally:
        conn.close()


def restore(monkeypatch, capsys, db, source, user):
    monkeypatch.setenv("UFDESK_USER", user)
    monkeypatch.setenv("UFDESK_PASSWORD", PW)
    code = main(["restore", "--db", str(db), str(source)])
    return code, capsys.readouterr().err


@pytest.fixture
def live(tmp_path):
    store = Store.create(tmp_path / "county.db", **COUNTY)
    users.add_user(store, "张主任", PW, "admin")
    users.add_user(store, "老张", PW, "admin", by="张主任")
    people(store, 3)
    old = backup.make_backup(store.path, "manual", folder=tmp_path / "bak").path  # 老张 still an admin here
    people(store, 5, "新")
    users.disable(store, "老张", by="张主任")
    path = store.path
    store.close()
    return path, old


def test_a_disabled_administrator_cannot_restore_an_old_backup(live, monkeypatch, capsys):
    db, old = live
    code, err = restore(monkeypatch, capsys, db, old, "老张")
    assert code == 1 and err.strip() and rows(db) == 8


def test_an_outsiders_database_cannot_replace_the_live_one(live, tmp_path, monkeypatch, capsys):
    db, _ = live
    own = Store.create(tmp_path / "mine.db", **COUNTY)
    users.add_user(own, "外人", PW, "admin")
    people(own, 10, "假")
    own.close()
    code, err = restore(monkeypatch, capsys, db, tmp_path / "mine.db", "外人")
    assert code == 1 and err.strip() and rows(db) == 8
    code, err = restore(monkeypatch, capsys, db, tmp_path / "mine.db", "张主任")  # its 张主任 does not exist there
    assert code == 0, err  # the live administrator decides, and may restore any file
    assert rows(db) == 10


def test_the_backups_users_count_only_when_the_live_file_is_unreadable(live, monkeypatch, capsys):
    db, old = live
    db.write_bytes(b"\0" * 4096)  # the live file destroyed
    code, err = restore(monkeypatch, capsys, db, old, "老张")
    assert code == 0, err
    assert rows(db) == 3
    conn = sqlite3.connect(db)
    try:
        [summary] = conn.execute("SELECT summary FROM audit WHERE action = 'restore'").fetchone()
    finally:
        conn.close()
    assert "当前数据库无法打开，按备份中的用户核验了管理员" in summary
