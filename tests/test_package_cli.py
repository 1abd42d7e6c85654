"""The package, conflicts and completeness commands as IT staff use them."""

from __future__ import annotations

import json

import pytest
from package_helpers import PW, T1, make, rep, snapshot

from ufdesk.cli import main


@pytest.fixture
def dbs(tmp_path, monkeypatch):
    monkeypatch.delenv("UFDESK_PASSPHRASE", raising=False)
    county = make(tmp_path, "county")
    town = make(tmp_path, "t1", T1)
    uuid = rep(town, "王伟", employer="镇政府")
    paths = county.store.path, town.store.path
    county.store.close()
    town.store.close()
    pw = tmp_path / "口令.txt"
    pw.write_text(PW + "\n", encoding="utf-8")
    return {"county": str(paths[0]), "t1": str(paths[1]), "pw": str(pw), "uuid": uuid, "dir": tmp_path}


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_export_import_log_and_undo(dbs, capsys):
    pkg = dbs["dir"] / "stick"
    pkg.mkdir()
    code, out, _ = run(capsys, "package", "export", "--db", dbs["t1"], "--out", pkg, "--passphrase-file", dbs["pw"])
    assert code == 0 and "可以安全拔出" in out and "第 1 号" in out
    [file] = list(pkg.glob("*.ufpkg"))
    assert "城关镇" in file.name
    assert PW not in out

    code, out, _ = run(capsys, "package", "import", "--db", dbs["county"], file, "--dry-run", "--passphrase-file", dbs["pw"])
    assert code == 0
    assert "representatives: 新增 1 更新 0 未变 0 冲突 0 重复 0 拒收 0" in out.splitlines()
    assert "未做任何修改" in out

    code, out, _ = run(capsys, "package", "import", "--db", dbs["county"], file, "--passphrase-file", dbs["pw"])
    assert code == 0 and out.splitlines()[0] == "representatives: 新增 1 更新 0 未变 0 冲突 0 重复 0 拒收 0"

    code, out, _ = run(capsys, "package", "log", "--db", dbs["county"], "--json")
    [entry] = json.loads(out)
    assert entry["direction"] == "received" and entry["records"] == 1 and entry["sender_township"] == T1
    code, out, _ = run(capsys, "package", "undo", "--db", dbs["county"], entry["package_id"])
    assert code == 0 and "已撤销" in out
    code, out, _ = run(capsys, "package", "log", "--db", dbs["county"])
    assert "（已撤销）" in out


def test_import_refused_exits_1_with_the_reason_and_leaves_the_db(dbs, capsys):
    code, _, _ = run(capsys, "package", "export", "--db", dbs["t1"], "--out", dbs["dir"] / "a.ufpkg",
                     "--passphrase-file", dbs["pw"])
    assert code == 0
    data = (dbs["dir"] / "a.ufpkg").read_bytes()
    (dbs["dir"] / "cut.ufpkg").write_bytes(data[:-10])
    from ufdesk.store import Store

    s = Store.open(dbs["county"])
    before = snapshot(s)
    s.close()
    code, out, err = run(capsys, "package", "import", "--db", dbs["county"], dbs["dir"] / "cut.ufpkg",
                         "--passphrase-file", dbs["pw"])
    assert code == 1 and "截断" in err and out == ""
    bad = dbs["dir"] / "bad.txt"
    bad.write_text("不是这个口令", encoding="utf-8")
    code, _, err = run(capsys, "package", "import", "--db", dbs["county"], dbs["dir"] / "a.ufpkg", "--passphrase-file", bad)
    assert code == 1 and "口令不正确" in err
    s = Store.open(dbs["county"])
    assert snapshot(s) == before
    s.close()


def test_passphrase_from_environment_or_exit_1(dbs, capsys, monkeypatch):
    code, _, err = run(capsys, "package", "export", "--db", dbs["t1"], "--out", dbs["dir"] / "a.ufpkg")
    assert code == 1 and "UFDESK_PASSPHRASE" in err and not (dbs["dir"] / "a.ufpkg").exists()
    monkeypatch.setenv("UFDESK_PASSPHRASE", PW)
    code, out, _ = run(capsys, "package", "export", "--db", dbs["t1"], "--out", dbs["dir"] / "a.ufpkg")
    assert code == 0 and PW not in out


def test_county_must_name_the_township(dbs, capsys):
    code, _, err = run(capsys, "package", "export", "--db", dbs["county"], "--out", dbs["dir"] / "x.ufpkg",
                       "--passphrase-file", dbs["pw"])
    assert code == 1 and "--to" in err


def test_conflicts_json_and_resolve(dbs, capsys):
    d = dbs["dir"]
    args = ("--passphrase-file", dbs["pw"])
    run(capsys, "package", "export", "--db", dbs["t1"], "--out", d / "1.ufpkg", *args)
    run(capsys, "package", "import", "--db", dbs["county"], d / "1.ufpkg", *args)
    from ufdesk.services import Services
    from ufdesk.store import Store

    for path, value in ((dbs["county"], "县政协"), (dbs["t1"], "镇商会")):
        s = Store.open(path)
        Services(s).update("representatives", dbs["uuid"], {"employer": value})
        s.close()
    run(capsys, "package", "export", "--db", dbs["t1"], "--out", d / "2.ufpkg", *args)
    code, out, _ = run(capsys, "package", "import", "--db", dbs["county"], d / "2.ufpkg", *args)
    assert "冲突 1" in out.splitlines()[0] and "ufdesk conflicts" in out
    code, out, _ = run(capsys, "conflicts", "--db", dbs["county"], "--json")
    [c] = json.loads(out)
    assert set(c) == {"id", "ledger", "record", "field", "mine", "theirs", "package", "since"}
    assert (c["ledger"], c["record"], c["field"], c["mine"], c["theirs"]) == (
        "representatives", dbs["uuid"], "employer", "县政协", "镇商会")
    code, out, _ = run(capsys, "conflicts", "resolve", "--db", dbs["county"], c["id"], "--take", "theirs")
    assert code == 0 and "已处理" in out
    code, out, _ = run(capsys, "conflicts", "--db", dbs["county"])
    assert "没有待处理的冲突" in out
    code, _, err = run(capsys, "conflicts", "resolve", "--db", dbs["county"], c["id"], "--take", "mine")
    assert code == 1 and "已经处理过" in err


def test_completeness_command(dbs, capsys):
    import datetime as dt

    d = dbs["dir"]
    run(capsys, "package", "export", "--db", dbs["t1"], "--out", d / "1.ufpkg", "--passphrase-file", dbs["pw"])
    run(capsys, "package", "import", "--db", dbs["county"], d / "1.ufpkg", "--passphrase-file", dbs["pw"])
    month = dt.date.today().strftime("%Y-%m")
    code, out, _ = run(capsys, "completeness", "--db", dbs["county"], "--month", month, "--json")
    rows = {r["code"]: r for r in json.loads(out)}
    assert rows[T1]["reported"] and rows[T1]["records"] == 1
    assert not rows["510599101"]["reported"]
    code, out, _ = run(capsys, "completeness", "--db", dbs["county"], "--month", month)
    assert "城关镇（510599100）：已报送" in out and "河东乡（510599101）：未报送" in out
    code, _, err = run(capsys, "completeness", "--db", dbs["county"], "--month", "2026/11")
    assert code == 1 and "YYYY-MM" in err
