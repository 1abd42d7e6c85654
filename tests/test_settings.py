"""The declared settings: ``ufdesk setting list|get|set`` in a subprocess (audited, role-checked,
validated), their effect on what users see, and county settings travelling to townships."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ufdesk.services import Services, users
from ufdesk.store import Store

PW = "correct-horse-1"
PLACES = "代码,名称\n510599100,城关镇\n510599101,河东乡\n510599100001,东街社区\n"


def ufdesk(tmp_path, *args, user: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("UFDESK_")}
    env.update(HOME=str(tmp_path / "home"), UFDESK_HOME=str(tmp_path / "home"))
    if user:
        env.update(UFDESK_USER=user, UFDESK_PASSWORD=PW)
    return subprocess.run([sys.executable, "-m", "ufdesk", *map(str, args)], capture_output=True, text=True,
                          env=env, encoding="utf-8")


@pytest.fixture
def county_db(tmp_path):
    places = tmp_path / "places.csv"
    places.write_text(PLACES, encoding="utf-8")
    db = tmp_path / "county.db"
    r = ufdesk(tmp_path, "init", "--db", db, "--county", "测试县", "--county-code", "510599", "--townships", places)
    assert r.returncode == 0, r.stderr
    return db


def stored(db) -> dict:
    s = Store.open(db)
    try:
        with s.connect() as conn:
            from ufdesk.store.schema import settings

            return dict(conn.execute(settings.select()).all())
    finally:
        s.close()


def audit_rows(db, action="settings") -> list[dict]:
    from ufdesk.services import audit

    s = Store.open(db)
    try:
        with s.connect() as conn:
            return audit.entries(conn, action=action)
    finally:
        s.close()


def test_setting_list_shows_every_declared_setting_with_its_default(tmp_path, county_db):
    r = ufdesk(tmp_path, "setting", "list", "--db", county_db, "--json")
    assert r.returncode == 0, r.stderr
    rows = {row["key"]: row for row in json.loads(r.stdout)}
    assert all(set(row) == {"key", "value", "default", "scope"} for row in rows.values())
    assert rows["unit_name"] == {"key": "unit_name", "value": "中共测试县委统战部", "default": "中共测试县委统战部",
                                 "scope": "local"}
    assert rows["report_due_day"] == {"key": "report_due_day", "value": 28, "default": 28, "scope": "county"}
    assert rows["idle_lock_minutes"] == {"key": "idle_lock_minutes", "value": 15, "default": 15, "scope": "local"}
    r = ufdesk(tmp_path, "setting", "list", "--db", county_db)
    assert r.returncode == 0 and "月报截止日" in r.stdout and "28日（默认）" in r.stdout


def test_setting_set_is_validated_audited_and_read_back(tmp_path, county_db):
    r = ufdesk(tmp_path, "setting", "set", "--db", county_db, "report_due_day", "20")
    assert r.returncode == 0, r.stderr
    assert "月报截止日" in r.stdout and "28日 → 20日" in r.stdout
    r = ufdesk(tmp_path, "setting", "get", "--db", county_db, "report_due_day")
    assert (r.returncode, r.stdout.strip()) == (0, "20")
    [entry] = audit_rows(county_db)
    assert entry["summary"] == "修改设置“月报截止日”：28日 → 20日" and entry["user"] == "命令行"

    for bad, words in (("32", "应在 1 到 31日之间"), ("二十", "应为整数"), ("", "应为整数")):
        r = ufdesk(tmp_path, "setting", "set", "--db", county_db, "report_due_day", bad)
        assert r.returncode == 1 and words in r.stderr and "Traceback" not in r.stderr, r.stderr
    r = ufdesk(tmp_path, "setting", "set", "--db", county_db, "no_such_key", "1")
    assert r.returncode == 1 and "没有名为“no_such_key”的设置" in r.stderr and "unit_name" in r.stderr
    assert stored(county_db) == {"report_due_day": "20", "require_enrolment": "true"}, "a refused value leaves the setting as it was"
    assert len(audit_rows(county_db)) == 1

    r = ufdesk(tmp_path, "setting", "set", "--db", county_db, "unit_name", "中共测试县委员会统一战线工作部")
    assert r.returncode == 0, r.stderr
    from ufdesk.reports.page import unit_name

    s = Store.open(county_db)
    try:
        assert unit_name(s) == "中共测试县委员会统一战线工作部", "reports sign with the unit name set"
    finally:
        s.close()


def test_only_an_administrator_may_change_settings(tmp_path, county_db):
    s = Store.open(county_db)
    users.add_user(s, "张主任", PW, "admin", by="张主任")
    users.add_user(s, "查阅员", PW, "viewer", by="张主任")
    s.close()
    r = ufdesk(tmp_path, "setting", "set", "--db", county_db, "idle_lock_minutes", "5", user="查阅员")
    assert r.returncode == 1 and "没有权限" in r.stderr
    r = ufdesk(tmp_path, "setting", "get", "--db", county_db, "idle_lock_minutes", user="查阅员")
    assert (r.returncode, r.stdout.strip()) == (0, "15"), "every role may read a setting"
    r = ufdesk(tmp_path, "setting", "set", "--db", county_db, "idle_lock_minutes", "5", user="张主任")
    assert r.returncode == 0, r.stderr
    assert stored(county_db) == {"idle_lock_minutes": "5", "require_enrolment": "true"}
    assert [e["user"] for e in audit_rows(county_db)] == ["张主任"]


def test_a_county_setting_is_set_at_the_county_and_travels_to_townships(tmp_path):
    from package_helpers import T1, build, make, receive

    from ufdesk.domain.errors import UfError
    from ufdesk.exchange.completeness import due_day
    from ufdesk.services import settings as SET

    county, town = make(tmp_path, "county"), make(tmp_path, "town", T1)
    with pytest.raises(UfError, match="由县委统战部统一设定"):
        SET.change(town, "report_due_day", "10")
    SET.change(town, "unit_name", "中共测试县城关镇委员会")  # a local setting: the township's own
    SET.change(county, "report_due_day", "10")
    SET.change(county, "unit_name", "中共测试县委统战部（县）")
    data, _ = build(county, to=T1)
    result = receive(town, data)
    assert any("设置" in w for w in result.warnings)
    assert due_day(town.store) == 10 and SET.get(town, "report_due_day") == 10
    assert SET.get(town, "unit_name") == "中共测试县城关镇委员会", "a local setting does not travel"


def test_a_stored_value_out_of_range_falls_back_to_the_default(store):
    from ufdesk.services import settings as SET

    store.set_setting("report_due_day", "99")  # written by hand or by an older version
    svc = Services(store)
    assert SET.get(svc, "report_due_day") == 28
