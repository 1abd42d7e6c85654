"""Enrolment and signed, addressed packages, through the command line as a county's IT person
runs it (each command a subprocess): a new county and two townships enrol, exchange packages
only the addressee can open, and a revocation travels in the county's next package."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ufdesk.services import Services
from ufdesk.store import Store

ROOT = Path(__file__).resolve().parents[1]
PW = "青岚湖-交换口令-2026"
T1, T2 = "510599100", "510599101"
FP = re.compile(r"\d{4} \d{4} \d{4} \d{4} \d{4}")


def _runner(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("UFDESK_")}
    env.update(PYTHONPATH=str(ROOT), UFDESK_HOME=str(tmp_path / "home"),
               PYTHONIOENCODING="utf-8")
    pw = tmp_path / "口令.txt"
    pw.write_text(PW + "\n", encoding="utf-8")

    def run(*args, ok=True):
        argv = [str(a) for a in args]
        if argv[0] in ("enrol", "package") and argv[1] not in ("list", "log"):
            argv += ["--passphrase-file", str(pw)]
        r = subprocess.run([sys.executable, "-m", "ufdesk", *argv], capture_output=True, text=True, env=env,
                           encoding="utf-8", timeout=120)
        if ok:
            assert r.returncode == 0, r.stderr
        return r

    return run


@pytest.fixture
def cli(tmp_path):
    return _runner(tmp_path)


@pytest.fixture(scope="module")
def made_by_init(tmp_path_factory):
    """A county and two townships made once by ``ufdesk init`` (new installations)."""
    d = tmp_path_factory.mktemp("init")
    run = _runner(d)
    places = d / "places.csv"
    places.write_text("代码,名称\n510599100,城关镇\n510599101,河东乡\n510599102,北城街道\n", encoding="utf-8")
    for name, town in (("county", None), ("t1", T1), ("t2", T2)):
        run("init", "--db", d / f"{name}.db", "--county", "测试县", "--county-code", "510599", "--townships", places,
            *(["--township", town] if town else []))
    return d


@pytest.fixture
def county_and_towns(tmp_path, made_by_init):
    dbs = {}
    for name in ("county", "t1", "t2"):
        dbs[name] = tmp_path / f"{name}.db"
        shutil.copyfile(made_by_init / f"{name}.db", dbs[name])
    return dbs


def enrol(cli, dbs, town: str, tmp_path) -> tuple[str, str]:
    req, grant = tmp_path / f"{town}-req.ufenrol", tmp_path / f"{town}-grant.ufenrol"
    r = cli("enrol", "request", "--db", dbs[town], "--out", req)
    [town_fp] = FP.findall(r.stdout)
    r = cli("enrol", "accept", "--db", dbs["county"], req, "--out", grant)
    fps = FP.findall(r.stdout)
    assert fps[0] == town_fp  # the county's clerk reads the same digits the township's clerk reads out
    r = cli("enrol", "finish", "--db", dbs[town], grant)
    assert FP.findall(r.stdout)[0] == fps[1]  # and the township sees the county's fingerprint
    return town_fp, fps[1]


def add_person(db: Path, name: str, township: str) -> str:
    store = Store.open(db)
    try:
        return Services(store, user="录入").create("representatives", {"name": name, "gender": "1",
                                                                       "township": township}).uuid
    finally:
        store.close()


def names(db: Path) -> set[str]:
    store = Store.open(db)
    try:
        return {r["name"] for r in Services(store).find_by("representatives")}
    finally:
        store.close()


def test_enrol_then_signed_packages_only_the_addressee_can_open(county_and_towns, cli, tmp_path):
    dbs = county_and_towns
    fp1, county_fp = enrol(cli, dbs, "t1", tmp_path)
    fp2, again = enrol(cli, dbs, "t2", tmp_path)
    assert again == county_fp and fp1 != fp2

    listed = json.loads(cli("enrol", "list", "--db", dbs["county"], "--json").stdout)
    by = {r["name"]: r for r in listed}
    assert by["城关镇"]["fingerprint"] == fp1 and by["河东乡"]["fingerprint"] == fp2
    assert by["县委统战部"]["this"] and by["县委统战部"]["fingerprint"] == county_fp
    assert {r["status"] for r in listed} == {"enrolled"}
    text = cli("enrol", "list", "--db", dbs["t1"]).stdout
    assert "城关镇（本机）\t已开通" in text and county_fp in text

    add_person(dbs["t1"], "王伟", T1)
    r = cli("package", "export", "--db", dbs["t1"], "--out", tmp_path / "t1.ufpkg")
    r = cli("package", "import", "--db", dbs["county"], tmp_path / "t1.ufpkg")
    assert "representatives: 新增 1" in r.stdout and "未验证" not in r.stdout + r.stderr
    assert "王伟" in names(dbs["county"])
    log = json.loads(cli("package", "log", "--db", dbs["county"], "--json").stdout)
    assert log[0]["trust"] == "verified"

    # another township holding the same passphrase cannot even open it
    r = cli("package", "import", "--db", dbs["t2"], tmp_path / "t1.ufpkg", ok=False)
    assert r.returncode == 1 and "不是发给本机的" in r.stderr and r.stdout == ""
    assert "王伟" not in names(dbs["t2"])


def test_a_new_installation_refuses_an_unsigned_package(county_and_towns, cli, tmp_path):
    dbs = county_and_towns
    add_person(dbs["t1"], "王伟", T1)
    cli("package", "export", "--db", dbs["t1"], "--out", tmp_path / "t1.ufpkg")  # t1 not enrolled yet
    r = cli("package", "import", "--db", dbs["county"], tmp_path / "t1.ufpkg", ok=False)
    assert r.returncode == 1 and "没有签名" in r.stderr and "require_enrolment" in r.stderr
    assert names(dbs["county"]) == set()
    cli("setting", "set", "--db", dbs["county"], "require_enrolment", "false")  # an office choosing the upgrade path
    r = cli("package", "import", "--db", dbs["county"], tmp_path / "t1.ufpkg")
    assert "未验证" in r.stderr and names(dbs["county"]) == {"王伟"}
    assert "（未验证）" in cli("package", "log", "--db", dbs["county"]).stdout


def test_revocation_travels_in_the_county_package(county_and_towns, cli, tmp_path):
    dbs = county_and_towns
    enrol(cli, dbs, "t1", tmp_path)
    enrol(cli, dbs, "t2", tmp_path)
    add_person(dbs["t2"], "李娜", T2)
    cli("package", "export", "--db", dbs["t2"], "--out", tmp_path / "t2.ufpkg")
    r = cli("enrol", "revoke", "--db", dbs["county"], T2)
    assert "已吊销河东乡的开通" in r.stdout
    r = cli("package", "import", "--db", dbs["county"], tmp_path / "t2.ufpkg", ok=False)
    assert r.returncode == 1 and "已被县委统战部吊销" in r.stderr
    assert "李娜" not in names(dbs["county"])

    cli("package", "export", "--db", dbs["county"], "--to", T1, "--out", tmp_path / "c.ufpkg")
    r = cli("package", "import", "--db", dbs["t1"], tmp_path / "c.ufpkg")
    assert "开通信息" in r.stderr
    listed = {x["name"]: x["status"] for x in json.loads(cli("enrol", "list", "--db", dbs["t1"], "--json").stdout)}
    assert listed == {"县委统战部": "enrolled", "城关镇": "enrolled", "河东乡": "revoked"}


def test_enrolment_files_are_checked(county_and_towns, cli, tmp_path):
    dbs = county_and_towns
    req = tmp_path / "req.ufenrol"
    cli("enrol", "request", "--db", dbs["t1"], "--out", req)
    doc = json.loads(req.read_text(encoding="utf-8"))
    doc["body"] = doc["body"].replace(T1, T2)  # claim another township
    forged = tmp_path / "forged.ufenrol"
    forged.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    r = cli("enrol", "accept", "--db", dbs["county"], forged, "--out", tmp_path / "g.ufenrol", ok=False)
    assert r.returncode == 1 and "签名不对" in r.stderr and not (tmp_path / "g.ufenrol").exists()
    r = cli("enrol", "accept", "--db", dbs["t2"], req, "--out", tmp_path / "g.ufenrol", ok=False)
    assert r.returncode == 1 and "只有县委统战部" in r.stderr
    r = cli("enrol", "finish", "--db", dbs["t1"], req, ok=False)
    assert r.returncode == 1 and "不是开通批复" in r.stderr
