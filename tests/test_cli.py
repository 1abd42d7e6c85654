"""The command line as IT staff and other tools use it: exit codes, Chinese messages, JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ufdesk.cli import main

PLACES = "代码,名称\n510599100,城关镇\n510599101,河东乡\n510599100001,东街社区\n510599101001,石桥村\n"


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ufdesk", *map(str, args)], capture_output=True, encoding="utf-8")  # what the CLI writes to a pipe


@pytest.fixture
def places(tmp_path):
    p = tmp_path / "places.csv"
    p.write_text(PLACES, encoding="utf-8")
    return p


def test_version_and_help():
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith("ufdesk ")
    r = run("--help")
    assert r.returncode == 0 and "init" in r.stdout and "stats" in r.stdout


def test_usage_error_exits_2_in_chinese(tmp_path):
    r = run("stats")
    assert r.returncode == 2 and "缺少必需的参数" in r.stderr and "--db" in r.stderr


def test_init_county_then_stats_json_counts_by_township(tmp_path, places, capsys):
    db = tmp_path / "c.db"
    assert main(["init", "--db", str(db), "--county", "测试县", "--county-code", "510599", "--townships", str(places)]) == 0
    assert "2 个乡镇，2 个村(社区)" in capsys.readouterr().out
    assert main(["stats", "--db", str(db), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"representatives", "chambers", "sites", "proposals", "cadres", "activities", "tasks",
                         "by_township"}
    assert set(data["by_township"]) == {"510599100", "510599101"}
    assert all(set(v) == set(data) - {"by_township"} for v in data["by_township"].values())
    assert all(v == 0 for k, v in data.items() if k != "by_township")


def test_init_reads_gbk_csv_and_sets_up_a_township(tmp_path, places, capsys):
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(PLACES.encode("gbk"))
    db = tmp_path / "t.db"
    assert main(["init", "--db", str(db), "--county", "测试县", "--county-code", "510599", "--townships", str(gbk),
                 "--township", "510599101"]) == 0
    assert "测试县河东乡" in capsys.readouterr().out
    from ufdesk.store import Store

    store = Store.open(db)
    assert store.township == "510599101" and store.township_name("510599101") == "河东乡"
    assert [v[2] for v in store.villages("510599100")] == ["东街社区"]


@pytest.mark.parametrize("content, message", [
    ("名称,代码\n城关镇,510599100\n", "第1行应为表头"),
    ("代码,名称\n51059910,城关镇\n", "第2行：代码“51059910”应为9位"),
    ("代码,名称\n510599100,城关镇\n510599109001,石桥村\n", "所属的乡镇 510599109 不在文件中"),
    ("代码,名称\n510598100,城关镇\n", "不属于县代码 510599"),
])
def test_init_reports_bad_place_lists_clearly(tmp_path, content, message):
    p = tmp_path / "bad.csv"
    p.write_text(content, encoding="utf-8")
    r = run("init", "--db", tmp_path / "x.db", "--county", "测试县", "--county-code", "510599", "--townships", p)
    assert r.returncode == 1 and message in r.stderr, r.stderr
    assert not (tmp_path / "x.db").exists()


def test_init_refuses_to_overwrite_without_force(tmp_path, places):
    db = tmp_path / "c.db"
    args = ["init", "--db", db, "--county", "测试县", "--county-code", "510599", "--townships", places]
    assert run(*args).returncode == 0
    r = run(*args)
    assert r.returncode == 1 and "--force" in r.stderr
    assert run(*args, "--force").returncode == 0


def test_check_passes_on_good_database_and_fails_on_garbage(tmp_path, places):
    db = tmp_path / "c.db"
    run("init", "--db", db, "--county", "测试县", "--county-code", "510599", "--townships", places)
    r = run("check", "--db", db)
    assert r.returncode == 0 and "完整性检查（integrity_check）：通过" in r.stdout and "结构版本" in r.stdout
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    r = run("check", "--db", junk)
    assert r.returncode == 1 and "检查未通过" in r.stderr


def test_demo_then_stats_and_check(tmp_path):
    db = tmp_path / "demo.db"
    r = run("demo", "--db", db, "--size", "200")
    assert r.returncode == 0, r.stderr
    stats = json.loads(run("stats", "--db", db, "--json").stdout)
    assert stats["representatives"] == 200
    assert all(stats[k] > 0 for k in ("chambers", "sites", "proposals", "cadres", "activities"))
    per_township = sum(v["representatives"] for v in stats["by_township"].values())
    assert per_township == 200
    assert run("check", "--db", db).returncode == 0
    again = run("demo", "--db", db, "--size", "200")
    assert again.returncode == 1 and "--force" in again.stderr
