"""Restore asks the live database who may restore (``ufdesk restore`` as an office runs it): a
disabled administrator holding an old backup, and an outsider with a database of their own
making, are both refused and the live file is left as it was; the backup's users count only
when the live file cannot be opened, and the restore says so in the audit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

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


def restore(monkeypatch, capsys, db, source, user, *extra):
    monkeypatch.setenv("UFDESK_USER", user)
    monkeypatch.setenv("UFDESK_PASSWORD", PW)
    code = main(["restore", "--db", str(db), str(source), *extra])
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
    assert code == 1 and "另一台电脑" in err and rows(db) == 8, "another PC's backup needs a second choice"
    code, err = restore(monkeypatch, capsys, db, tmp_path / "mine.db", "张主任", "--other-installation")
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


# -- as the clerk runs it: ``ufdesk restore`` and ``ufdesk user recover`` in a subprocess -------------
def run_cli(*args, env=None):
    from cli_tree import run

    r = run(args, env=env)
    return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


def digest(db) -> str:
    """Every table but the audit, hashed: what a refused command must leave as it was."""
    import hashlib

    conn = sqlite3.connect(db)
    try:
        h = hashlib.sha256()
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'audit' ORDER BY name"):
            for row in conn.execute(f'SELECT * FROM "{name}" ORDER BY 1'):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        conn.close()


def test_restore_says_what_it_replaces_and_by_what(tmp_path):
    store = Store.create(tmp_path / "county.db", **COUNTY)
    people(store, 3)
    old = backup.make_backup(store.path, "manual", folder=tmp_path / "bak")
    people(store, 4, "新")
    store.close()
    code, out, err = run_cli("restore", "--db", tmp_path / "county.db", old.path)
    assert code == 0, err
    assert f"将被替换的当前数据库：{tmp_path / 'county.db'}" in out
    assert "测试县（县委统战部），代表人士 7" in out
    assert f"（{old.at:%Y-%m-%d %H:%M}）" in out and "代表人士 3" in out
    assert "恢复前的数据已备份为" in out and "保留最近 10 份" in out
    assert rows(tmp_path / "county.db") == 3


def test_another_pcs_backup_is_refused_without_the_second_choice(tmp_path):
    live = Store.create(tmp_path / "county.db", **COUNTY)
    people(live, 5)
    live.close()
    other = Store.create(tmp_path / "乡镇的备份.db", **COUNTY, township="510599100")
    people(other, 2, "乡")
    other.close()
    before = digest(tmp_path / "county.db")
    code, out, err = run_cli("restore", "--db", tmp_path / "county.db", tmp_path / "乡镇的备份.db")
    assert code == 1 and "另一台电脑" in err and "测试县城关镇" in err and "--other-installation" in err
    assert "注意：这份备份来自另一台电脑（测试县城关镇" in out
    assert digest(tmp_path / "county.db") == before
    code, out, err = run_cli("restore", "--db", tmp_path / "county.db", tmp_path / "乡镇的备份.db",
                             "--other-installation")
    assert code == 0, err
    assert rows(tmp_path / "county.db") == 2


def test_restoring_small_backups_again_and_again_keeps_the_only_copy_of_the_real_data(tmp_path):
    store = Store.create(tmp_path / "county.db", **COUNTY)
    people(store, 2, "旧")
    small = backup.make_backup(store.path, "manual", folder=tmp_path / "外").path  # outside the backups folder
    people(store, 30, "真")  # the real county, in no backup at all
    store.close()
    for _ in range(backup.KEEP_BEFORE_RESTORE + 2):
        code, _out, err = run_cli("restore", "--db", tmp_path / "county.db", small)
        assert code == 0, err
    import os

    folder = Path(os.environ["UFDESK_HOME"]) / "backups"
    copies = sorted(folder.glob("county_*_before-restore.db"))
    assert len(copies) == backup.KEEP_BEFORE_RESTORE + 1, "the newest 10, and the one holding the real data"
    assert max(rows(p) for p in copies) == 32


def test_user_recover_sets_a_forgotten_admin_password_with_the_exchange_passphrase(tmp_path):
    from ufdesk.exchange import enrol

    phrase = "乡镇交换口令-2026"
    store = Store.create(tmp_path / "town.db", **COUNTY, township="510599100")
    users.add_user(store, "张主任", PW, "admin")
    enrol.request(store, phrase, tmp_path / "REQ.ufenrol", user="张主任")  # the installation's keys
    store.close()
    db = tmp_path / "town.db"
    new = "新的登录密码-2027"
    before = digest(db)
    code, _out, err = run_cli("user", "recover", "--db", db,
                              env={"UFDESK_PASSPHRASE": "猜的口令-12345", "UFDESK_NEW_PASSWORD": new})
    assert code == 1 and "交换口令" in err and digest(db) == before
    code, out, err = run_cli("user", "recover", "--db", db,
                             env={"UFDESK_PASSPHRASE": phrase, "UFDESK_NEW_PASSWORD": new})
    assert code == 0, err
    assert "已为管理员 张主任 设置新密码" in out
    code, _out, err = run_cli("stats", "--db", db, env={"UFDESK_USER": "张主任", "UFDESK_PASSWORD": PW})
    assert code == 1, "the forgotten password no longer works"
    code, _out, err = run_cli("stats", "--db", db, env={"UFDESK_USER": "张主任", "UFDESK_PASSWORD": new})
    assert code == 0, err
    conn = sqlite3.connect(db)
    try:
        [(summary,)] = conn.execute("SELECT summary FROM audit WHERE action = 'user_recover'").fetchall()
    finally:
        conn.close()
    assert "张主任" in summary and new not in summary and phrase not in summary


def test_user_recover_without_keys_says_what_to_do_instead(tmp_path):
    store = Store.create(tmp_path / "county.db", **COUNTY)
    users.add_user(store, "张主任", PW, "admin")
    store.close()
    code, _out, err = run_cli("user", "recover", "--db", tmp_path / "county.db",
                              env={"UFDESK_PASSPHRASE": "随便什么口令-1", "UFDESK_NEW_PASSWORD": "新的登录密码-2027"})
    assert code == 1 and "还没有交换密钥" in err and "从备份恢复" in err
