"""Status defaults: a record typed, imported without a 状态 column, or received in a package
with an empty status has its ledger's default (代表人士 在册 …) and so is in the reports; the
migration fills old empty values without making them changes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import sqlalchemy as sa
from reports_helpers import flat, sql
from xlsx_office import convert, write_openpyxl

from ufdesk.domain import LEDGERS, SUBS, defaults_of

IMPORTED = ("张三", "李四", "王五", "赵六")  # the rows of the office roster without problems


def ufdesk(*argv) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ufdesk", *map(str, argv)], capture_output=True, text=True,
                          timeout=300)


def test_every_status_field_has_a_default_from_its_code_table(store):
    cb = store.codebook()
    expected = {"representatives": "在册", "chambers": "正常", "sites": "正常", "proposals": "提交",
                "site_issues": "整改中"}
    for table, name in expected.items():
        desc = LEDGERS[table] if table in LEDGERS else SUBS[table][1]
        code = defaults_of(desc)["status"]
        assert cb.name_of(desc.field("status").code, code) == name


def test_a_roster_imported_without_a_status_column_is_in_the_roster_and_the_summary(store, tmp_path):
    """The office's roster (no 状态 column), saved by LibreOffice, imported on the command line."""
    db = store.path
    store.close()
    src = convert(write_openpyxl(tmp_path / "花名册.xlsx"), "xlsx", tmp_path / "lo")
    r = ufdesk("import-xlsx", "--db", db, "--ledger", "代表人士", src, "--skip-invalid",
               "--rejects", tmp_path / "rej.xlsx")
    assert r.returncode == 0, r.stderr
    statuses = sql(db, "SELECT name, status FROM representatives WHERE deleted = 0 ORDER BY name")
    assert sorted(n for n, _s in statuses) == sorted(IMPORTED)
    assert {s for _n, s in statuses} == {"1"}

    r = ufdesk("report", "roster", "--db", db, "--out", tmp_path / "roster.pdf")
    assert r.returncode == 0, r.stderr
    txt = flat(tmp_path / "roster.pdf")
    assert f"共{len(IMPORTED)}人" in txt
    assert all(name in txt for name in IMPORTED)

    month = dt.date.today().strftime("%Y-%m")
    r = ufdesk("report", "monthly", "--db", db, "--month", month, "--out", tmp_path / "m.pdf")
    assert r.returncode == 0, r.stderr
    present = sql(db, "SELECT count(*) FROM representatives WHERE deleted = 0 AND status = '1'")[0][0]
    assert present == len(IMPORTED)
    assert f"月末在册{present}人" in flat(tmp_path / "m.pdf")


def test_a_new_record_and_an_emptied_status_get_the_default(services):
    c = services.create("representatives", {"name": "刘一"})
    assert services.get("representatives", c.uuid)["status"] == "1"
    services.update("representatives", c.uuid, {"status": "2", "left_on": dt.date(2026, 1, 5)})
    services.update("representatives", c.uuid, {"status": None})
    assert services.get("representatives", c.uuid)["status"] == "1"
    p = services.create("proposals", {"title": "关于乡村道路的建议", "kind": "1"})
    assert services.get("proposals", p.uuid)["status"] == "10"
    s = services.create("sites", {"name": "清泉寺", "religion": "1"},
                        subs={"site_issues": [{"found_on": dt.date(2026, 3, 1), "issue": "消防通道堵塞"}]})
    site = services.get("sites", s.uuid)
    assert site["status"] == "1" and site["subs"]["site_issues"][0]["status"] == "1"


def test_the_migration_fills_empty_statuses_without_making_changes(store):
    from ufdesk.services import Services
    from ufdesk.store import Store

    svc = Services(store, user="测试员")
    uuids = [svc.create("representatives", {"name": n}).uuid for n in ("甲一", "乙二", "丙三")]
    left = svc.create("representatives", {"name": "丁四", "status": "2"}).uuid
    gone = svc.create("representatives", {"name": "戊五"}).uuid
    svc.delete("representatives", gone)
    db = store.path
    # as a database written before status defaults: the schema of then, empty statuses
    from alembic import command

    from ufdesk.store.engine import alembic_config

    command.downgrade(alembic_config(store.engine), "0006")
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE representatives SET status = NULL WHERE uuid IN (:a, :b)"),
                     {"a": uuids[0], "b": uuids[1]})
        conn.execute(sa.text("UPDATE representatives SET status = '' WHERE uuid = :c"), {"c": uuids[2]})
    store.close()
    cols = "uuid, status, version, vv, clock, updated_at, deleted"
    before = {r[0]: r for r in sql(db, f"SELECT {cols} FROM representatives")}
    audit_before = sql(db, "SELECT count(*) FROM audit")[0][0]

    Store.open(db).close()

    after = {r[0]: r for r in sql(db, f"SELECT {cols} FROM representatives")}
    for u in uuids:
        assert after[u][1] == "1"
        assert after[u][2:] == before[u][2:]  # version, vector, clocks, updated_at: not a change
    assert after[left][1] == "2"  # a chosen status stays
    assert after[gone][1] is None and after[gone][6] == 1  # a tombstone keeps no data
    assert sql(db, "SELECT count(*) FROM audit")[0][0] == audit_before


def test_an_empty_status_in_a_package_is_read_as_the_default(tmp_path):
    """A township whose copies predate status defaults sends a record with an empty status: new
    at the county, it lands 在册; already there (filled by the migration), an edit of another
    field merges without a conflict and the status stays."""
    from package_helpers import T1, make, send

    county, town = make(tmp_path, "county"), make(tmp_path, "town", T1)
    old = town.create("representatives", {"name": "旧记录"}).uuid
    send(town, county)
    assert county.get("representatives", old)["status"] == "1"
    new = town.create("representatives", {"name": "新记录"}).uuid
    with town.store.engine.begin() as conn:  # as the older program kept them
        conn.execute(sa.text("UPDATE representatives SET status = NULL"))
    town.update("representatives", old, {"employer": "县农业农村局"})
    send(town, county)
    assert county.get("representatives", new)["status"] == "1"
    merged = county.get("representatives", old)
    assert merged["status"] == "1" and merged["employer"] == "县农业农村局"
    assert sql(county.store.path, "SELECT count(*) FROM conflicts")[0][0] == 0
