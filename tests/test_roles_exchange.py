"""Who may see and carry what, through the command line: a viewer gets masked numbers from
``conflicts --json`` as from the text form; an encrypted backup and ``package export --all``
(every record and, in a backup, every password hash) need an administrator."""

from __future__ import annotations

import json

import pytest
from package_helpers import PW, T1, make, rep, send

from ufdesk.cli import main
from ufdesk.services import users

LOGIN = "登录密码-2026"


@pytest.fixture
def county_db(tmp_path, monkeypatch):
    monkeypatch.setattr(users, "SCRYPT_N", 2**10)
    county, t1 = make(tmp_path, "county"), make(tmp_path, "t1", T1)
    uuid = rep(t1, "王伟", mobile="13800001111")
    send(t1, county)
    county.update("representatives", uuid, {"mobile": "13900002222"})
    t1.update("representatives", uuid, {"mobile": "13700003333"})
    assert send(t1, county).conflicts == 1
    for name, role in (("主任", "admin"), ("小李", "editor"), ("老王", "viewer")):
        users.add_user(county.store, name, LOGIN, role, by="主任")
    path = county.store.path
    county.store.close()
    t1.store.close()
    pw = tmp_path / "口令.txt"
    pw.write_text(PW + "\n", encoding="utf-8")
    return str(path), str(pw)


def run(monkeypatch, capsys, user, *argv):
    monkeypatch.setenv("UFDESK_USER", user)
    monkeypatch.setenv("UFDESK_PASSWORD", LOGIN)
    code = main([str(a) for a in argv])
    io = capsys.readouterr()
    return code, io.out, io.err


def test_viewer_gets_masked_numbers_in_conflicts_json(county_db, monkeypatch, capsys):
    db, _ = county_db
    code, out, _ = run(monkeypatch, capsys, "老王", "conflicts", "--db", db, "--json")
    [c] = json.loads(out)
    assert code == 0 and c["field"] == "mobile"
    assert c["mine"] == "139****2222" and c["theirs"] == "137****3333"
    assert "13900002222" not in out and "13700003333" not in out
    code, out, _ = run(monkeypatch, capsys, "主任", "conflicts", "--db", db, "--json")
    [c] = json.loads(out)
    assert (c["mine"], c["theirs"]) == ("13900002222", "13700003333")  # the administrator decides on the real values


def test_encrypted_backup_and_export_all_need_an_administrator(county_db, monkeypatch, capsys, tmp_path):
    db, pw = county_db
    code, _, err = run(monkeypatch, capsys, "小李", "backup", "--db", db, "--out", tmp_path / "b.ufbak", "--encrypt",
                       "--passphrase-file", pw)
    assert code == 1 and "管理" in err and not (tmp_path / "b.ufbak").exists()
    code, _, err = run(monkeypatch, capsys, "小李", "package", "export", "--db", db, "--to", T1, "--all",
                       "--out", tmp_path / "all.ufpkg", "--passphrase-file", pw)
    assert code == 1 and "管理" in err and not (tmp_path / "all.ufpkg").exists()
    code, _, err = run(monkeypatch, capsys, "小李", "package", "export", "--db", db, "--to", T1,
                       "--out", tmp_path / "some.ufpkg", "--passphrase-file", pw)
    assert code == 0, err  # the everyday package stays the editor's job
    code, _, err = run(monkeypatch, capsys, "主任", "package", "export", "--db", db, "--to", T1, "--all",
                       "--out", tmp_path / "all.ufpkg", "--passphrase-file", pw)
    assert code == 0, err
    code, _, err = run(monkeypatch, capsys, "主任", "backup", "--db", db, "--out", tmp_path / "b.ufbak", "--encrypt",
                       "--passphrase-file", pw)
    assert code == 0 and (tmp_path / "b.ufbak").exists(), err
