"""Users, roles and logins: hashing, the lock after five wrong passwords, the audit trail, and the
CLI refusing without a valid login."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ufdesk.domain.errors import PermissionDenied, UfError
from ufdesk.services import Services, audit, users

PW = "correct-horse-1"


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch):
    monkeypatch.setattr(users, "SCRYPT_N", 2**10)


@pytest.fixture
def admin(store):
    users.add_user(store, "张主任", PW, "管理员")
    return store


def log(store, action=None):
    with store.connect() as conn:
        return audit.entries(conn, action=action)


def test_hash_is_salted_scrypt_with_its_parameters_and_never_the_password(monkeypatch):
    monkeypatch.setattr(users, "SCRYPT_N", 2**15)
    a, b = users.hash_password(PW), users.hash_password(PW)
    assert a != b  # random salt
    assert a.startswith("scrypt$32768$8$1$") and PW not in a
    assert users.verify_password(PW, a) and not users.verify_password(PW + "x", a)
    monkeypatch.setattr(users, "SCRYPT_N", 2**10)
    assert users.verify_password(PW, a), "old hashes keep their own parameters"


def test_tampered_hash_asking_absurd_work_is_refused():
    assert not users.verify_password(PW, "scrypt$1073741824$8$1$AAAA$AAAA")
    assert not users.verify_password(PW, "garbage")


def test_first_user_must_be_admin_and_passwords_are_checked(store):
    with pytest.raises(UfError, match="第一个用户必须是管理员"):
        users.add_user(store, "李四", PW, "editor")
    with pytest.raises(UfError, match="密码太短"):
        users.add_user(store, "李四", "123", "admin")
    with pytest.raises(UfError, match="角色"):
        users.add_user(store, "李四", PW, "boss")
    assert not users.has_users(store)


def test_wrong_password_is_refused_and_the_fifth_locks(admin):
    for i in range(1, 5):
        with pytest.raises(users.LoginFailed, match=f"还可再试 {5 - i} 次"):
            users.login(admin, "张主任", "wrong-password")
    with pytest.raises(users.LoginFailed, match="已锁定"):
        users.login(admin, "张主任", "wrong-password")
    # now even the right password is refused until the lock runs out or an admin unlocks
    with pytest.raises(users.LoginFailed, match="已锁定"):
        users.login(admin, "张主任", PW)
    assert users.list_users(admin)[0]["locked"]
    failed = log(admin, "login_failed")
    assert len(failed) == 6 and all(PW not in str(e) and "wrong-password" not in str(e) for e in failed)
    users.unlock(admin, "张主任", by="系统")
    assert users.login(admin, "张主任", PW)["role"] == "admin"


def test_lock_expires_after_five_minutes(admin):
    import datetime as dt

    import sqlalchemy as sa

    from ufdesk.store.schema import users as T

    for _ in range(5):
        with pytest.raises(users.LoginFailed):
            users.login(admin, "张主任", "nope-nope")
    with admin.engine.begin() as conn:  # pretend five minutes passed
        conn.execute(sa.update(T).values(locked_until=dt.datetime.now() - dt.timedelta(seconds=1)))
    assert users.login(admin, "张主任", PW)["name"] == "张主任"


def test_unknown_and_disabled_users_are_refused_and_audited(admin):
    users.add_user(admin, "王五", PW, "录入员", by="张主任")
    with pytest.raises(users.LoginFailed, match="用户名或密码错误"):
        users.login(admin, "没有这个人", PW)
    users.disable(admin, "王五", by="张主任")
    with pytest.raises(users.LoginFailed, match="已停用"):
        users.login(admin, "王五", PW)
    with pytest.raises(UfError, match="唯一的管理员"):
        users.disable(admin, "张主任", by="张主任")
    actions = {e["action"] for e in log(admin)}
    assert {"user_add", "user_disable", "login_failed"} <= actions


def test_password_change_takes_effect(admin):
    users.set_password(admin, "张主任", "another-pass-2", by="张主任")
    with pytest.raises(users.LoginFailed):
        users.login(admin, "张主任", PW)
    assert users.login(admin, "张主任", "another-pass-2")
    assert log(admin, "login")[0]["user"] == "张主任"


def test_viewer_cannot_save_and_cannot_export_full_ids(admin):
    users.add_user(admin, "查阅员", PW, "查阅", by="张主任")
    role = users.login(admin, "查阅员", PW)["role"]
    viewer = Services(admin, user="查阅员", role=role)
    with pytest.raises(PermissionDenied, match="没有权限"):
        viewer.create("representatives", {"name": "王伟"})
    with pytest.raises(PermissionDenied, match="导出完整身份证号"):
        viewer.require("export_full_ids")
    assert not viewer.allowed("view_full_ids") and viewer.allowed("reports")
    editor = Services(admin, user="录入", role="editor")
    change = editor.create("representatives", {"name": "王伟"})
    with pytest.raises(PermissionDenied):
        viewer.update("representatives", change.uuid, {"name": "王小伟"})
    with pytest.raises(PermissionDenied):
        viewer.delete("representatives", change.uuid)
    assert editor.get("representatives", change.uuid)["name"] == "王伟"


# -- the command line ---------------------------------------------------------------------------
@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def ufdesk(monkeypatch, capsys):
    """Run the command line in this process (stdin is no terminal, as in a script)."""
    from ufdesk.cli import main

    def run(*args, env=None):
        for k in ("UFDESK_USER", "UFDESK_PASSWORD", "UFDESK_NEW_PASSWORD", "UFDESK_PASSPHRASE"):
            monkeypatch.delenv(k, raising=False)
        for k, v in (env or {}).items():
            monkeypatch.setenv(k, v)
        code = main([str(a) for a in args])
        io = capsys.readouterr()
        return Run(code, io.out, io.err)

    return run


@pytest.fixture
def places(tmp_path):
    p = tmp_path / "places.csv"
    p.write_text("代码,名称\n510599100,城关镇\n510599100001,东街社区\n", encoding="utf-8")
    return p


def test_cli_init_with_admin_then_every_command_needs_a_login(tmp_path, places, ufdesk):
    db = str(tmp_path / "c.db")
    r = ufdesk("init", "--db", db, "--county", "测试县", "--county-code", "510599", "--townships", str(places),
               "--admin", "张主任", env={"UFDESK_PASSWORD": PW})
    assert r.returncode == 0, r.stderr
    assert "已建立管理员 张主任" in r.stdout
    r = ufdesk("stats", "--db", db)
    assert r.returncode == 1 and "--user" in r.stderr
    r = ufdesk("stats", "--db", db, "--user", "张主任")  # no password, no terminal
    assert r.returncode == 1 and "UFDESK_PASSWORD" in r.stderr
    r = ufdesk("stats", "--db", db, "--user", "张主任", env={"UFDESK_PASSWORD": "wrong-one-x"})
    assert r.returncode == 1 and "用户名或密码错误" in r.stderr and "Traceback" not in r.stderr
    r = ufdesk("stats", "--db", db, env={"UFDESK_USER": "张主任", "UFDESK_PASSWORD": PW})
    assert r.returncode == 0, r.stderr
    assert "代表人士" in r.stdout
    r = ufdesk("check", "--db", db)
    assert r.returncode == 0, "check needs no login"
    r = ufdesk("user", "add", "--db", db, "查阅员", "--role", "查阅",
               env={"UFDESK_USER": "张主任", "UFDESK_PASSWORD": PW, "UFDESK_NEW_PASSWORD": PW})
    assert r.returncode == 0, r.stderr
    roster = tmp_path / "r.csv"
    roster.write_text("姓名,性别\n王伟,男\n", encoding="utf-8")
    viewer = {"UFDESK_USER": "查阅员", "UFDESK_PASSWORD": PW}
    r = ufdesk("import-xlsx", "--db", db, "--ledger", "representatives", roster, env=viewer)
    assert r.returncode == 1 and "没有权限" in r.stderr, "a viewer cannot save records from the command line"
    r = ufdesk("export-xlsx", "--db", db, "--ledger", "representatives", "--out", tmp_path / "x.xlsx", "--full-ids",
               env=viewer)
    assert r.returncode == 1 and not (tmp_path / "x.xlsx").exists()
    from ufdesk.store import Store

    s = Store.open(db)
    try:
        entries = log(s)
        logins = [(e["action"], e["user"]) for e in entries if e["action"].startswith("login")]
        assert ("login_failed", "张主任") in logins and ("login", "张主任") in logins and ("login", "查阅员") in logins
    finally:
        s.close()


def test_cli_init_refuses_a_short_admin_password_before_creating_anything(tmp_path, places, ufdesk):
    db = tmp_path / "c.db"
    r = ufdesk("init", "--db", str(db), "--county", "测试县", "--county-code", "510599", "--townships", str(places),
               "--admin", "张主任", env={"UFDESK_PASSWORD": "short"})
    assert r.returncode == 1 and "密码太短" in r.stderr
    assert not db.exists()


def test_cli_database_without_users_runs_without_login(tmp_path, places, ufdesk):
    db = str(tmp_path / "c.db")
    assert ufdesk("init", "--db", db, "--county", "测试县", "--county-code", "510599",
                  "--townships", str(places)).returncode == 0
    r = ufdesk("stats", "--db", db)
    assert r.returncode == 0, r.stderr


def test_a_password_typed_into_the_user_name_box_is_not_audited(store, monkeypatch, capsys):
    from ufdesk.cli import main
    from ufdesk.services import audit

    users.add_user(store, "张主任", "主任的密码-2026", "admin")
    path = store.path
    monkeypatch.setenv("UFDESK_USER", "Victim-Pass-1")
    monkeypatch.setenv("UFDESK_PASSWORD", "whatever-123")
    assert main(["stats", "--db", str(path)]) == 1
    assert "用户名或密码错误" in capsys.readouterr().err
    with store.connect() as conn:
        [row] = [e for e in audit.entries(conn) if e["action"] == "login_failed"]
    assert "Victim-Pass-1" not in f"{row['summary']} {row['details']} {row['user']}" and row["user"] is None
