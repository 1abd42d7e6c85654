"""The audit log records each kind of event — create, update, delete, import, package exchange,
export of full ID numbers, login, failed login, restore — with who and when, and never an ID or
phone number in full. Driven through the command line, as IT staff would."""

from __future__ import annotations

import sqlalchemy as sa
from stdnum.iso7064 import mod_11_2

from ufdesk.cli import main
from ufdesk.services import Services, audit, users
from ufdesk.store import Store

PW = "correct-horse-1"
MOBILE = "13812345678"


def idno(seq: int) -> str:
    body = f"51059919800101{seq:03d}"
    return body + mod_11_2.calc_check_digit(body)


def run(monkeypatch, capsys, *argv, user="张主任", password=PW):
    monkeypatch.setenv("UFDESK_USER", user)
    monkeypatch.setenv("UFDESK_PASSWORD", password)
    code = main([str(a) for a in argv])
    return code, capsys.readouterr()


def audit_of(path) -> list[dict]:
    s = Store.open(path)
    try:
        with s.connect() as conn:
            return audit.entries(conn)
    finally:
        s.close()


def test_every_kind_of_event_is_audited_with_masked_values(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(users, "SCRYPT_N", 2**10)
    monkeypatch.setenv("UFDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("UFDESK_PASSPHRASE", "county-exchange-phrase")
    places = tmp_path / "places.csv"
    places.write_text("代码,名称\n510599100,城关镇\n510599101,河东乡\n", encoding="utf-8")
    county, town = tmp_path / "county.db", tmp_path / "town.db"
    for db, extra in ((county, []), (town, ["--township", "510599100"])):
        code, io = run(monkeypatch, capsys, "init", "--db", db, "--county", "测试县", "--county-code", "510599",
                       "--townships", places, "--admin", "张主任", *extra)
        assert code == 0, io.err

    # the township records a person, corrects the phone number, deletes another, and sends a package
    s = Store.open(town)
    svc = Services(s, user="张主任", role="admin")
    kept = svc.create("representatives", {"name": "王伟", "id_number": idno(11), "mobile": MOBILE}).uuid
    svc.update("representatives", kept, {"mobile": "13987654321"})
    gone = svc.create("representatives", {"name": "李娜", "id_number": idno(12)}).uuid
    svc.delete("representatives", gone)
    s.close()
    # new installations exchange signed packages only: the township enrols first
    req, grant = tmp_path / "req.ufenrol", tmp_path / "grant.ufenrol"
    for argv in (("request", "--db", town, "--out", req), ("accept", "--db", county, req, "--out", grant),
                 ("finish", "--db", town, grant)):
        code, io = run(monkeypatch, capsys, "enrol", *argv)
        assert code == 0, io.err
    pkg = tmp_path / "town.ufpkg"
    code, io = run(monkeypatch, capsys, "package", "export", "--db", town, "--out", pkg)
    assert code == 0, io.err
    code, io = run(monkeypatch, capsys, "package", "import", "--db", county, pkg)
    assert code == 0, io.err

    # the county imports a roster, exports full ID numbers (and a viewer is refused), backs up, restores
    roster = tmp_path / "roster.csv"
    roster.write_text(f"姓名,身份证号,手机\n赵强,{idno(13)},{MOBILE}\n", encoding="utf-8")
    code, io = run(monkeypatch, capsys, "import-xlsx", "--db", county, "--ledger", "representatives", roster)
    assert code == 0, io.err
    code, io = run(monkeypatch, capsys, "user", "add", "--db", county, "老王", "--role", "查阅")
    assert code == 1 and "UFDESK_NEW_PASSWORD" in io.err
    monkeypatch.setenv("UFDESK_NEW_PASSWORD", PW)
    code, io = run(monkeypatch, capsys, "user", "add", "--db", county, "老王", "--role", "查阅")
    assert code == 0, io.err
    code, io = run(monkeypatch, capsys, "export-xlsx", "--db", county, "--ledger", "representatives",
                   "--out", tmp_path / "full.xlsx", "--full-ids", user="老王")
    assert code == 1 and not (tmp_path / "full.xlsx").exists()
    code, io = run(monkeypatch, capsys, "export-xlsx", "--db", county, "--ledger", "representatives",
                   "--out", tmp_path / "full.xlsx", "--full-ids")
    assert code == 0, io.err
    code, io = run(monkeypatch, capsys, "stats", "--db", county, password="not-my-password")
    assert code == 1
    code, io = run(monkeypatch, capsys, "backup", "--db", county, "--out", tmp_path / "c.ufbak", "--encrypt")
    assert code == 0, io.err
    code, io = run(monkeypatch, capsys, "restore", "--db", county, tmp_path / "c.ufbak")
    assert code == 0, io.err

    town_log, county_log = audit_of(town), audit_of(county)
    town_actions = {e["action"] for e in town_log}
    county_actions = {e["action"] for e in county_log}
    assert {"create", "update", "delete", "user_add", "login", "package_export", "enrol_request",
            "enrol_finish"} <= town_actions
    assert {"package_import", "enrol_accept", "import", "export_full_ids", "login", "login_failed", "restore", "backup",
            "user_add"} <= county_actions
    for e in town_log + county_log:
        assert e["at"] is not None and e["action"] and e["user"], f"who and when: {e['action']}"
        text = f"{e['summary']} {e['details'] or ''}"
        for secret in (idno(11), idno(12), idno(13), MOBILE, "13987654321", PW):
            assert secret not in text, f"{e['action']} keeps a value in clear"
    update = next(e for e in town_log if e["action"] == "update")
    assert "138****5678" in update["details"] and "139****4321" in update["details"]
    assert next(e for e in county_log if e["action"] == "export_full_ids")["user"] == "张主任"
    with sa.create_engine(f"sqlite:///{county}").connect() as conn:
        failed = conn.execute(sa.text("SELECT user FROM audit WHERE action = 'login_failed'")).scalars().all()
    assert failed == ["张主任"]
