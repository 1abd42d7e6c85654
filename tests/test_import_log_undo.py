"""``ufdesk import log`` and ``ufdesk import undo N`` (issue 16 item 6), run as a clerk or the
office's IT person runs them: in a subprocess, on rosters saved by LibreOffice."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from reports_helpers import sql
from xlsx_office import convert, make_id

IDS = [make_id(f"1980050{i}", 40 + i, True) for i in range(1, 6)]


def ufdesk(*argv) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ufdesk", *map(str, argv)], capture_output=True, text=True,
                          timeout=300)


def _roster(path, people):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["城关镇党外代表人士花名册", None, None, None])
    ws.merge_cells("A1:D1")
    ws.append(["序号", "姓名", "性别", "身份证号码"])
    for n, (name, id_no) in enumerate(people, 1):
        ws.append([n, name, "男", id_no])
    wb.save(path)
    return convert(path, "xls", path.parent / "xls")


@pytest.fixture
def county(store, tmp_path):
    db = store.location
    store.close()
    first = _roster(tmp_path / "第一批.xlsx", [("甲一", IDS[0]), ("甲二", IDS[1]), ("甲三", IDS[2])])
    second = _roster(tmp_path / "第二批.xlsx", [("乙一", IDS[3]), ("乙二", IDS[4])])
    for f in (first, second):
        res = ufdesk("import-xlsx", "--db", db, "--ledger", "代表人士", f)
        assert res.returncode == 0, res.stdout + res.stderr
    bad = _roster(tmp_path / "错表.xlsx", [("丙一", IDS[0][:17] + ("1" if IDS[0][17] != "1" else "2"))])
    assert ufdesk("import-xlsx", "--db", db, "--ledger", "代表人士", bad).returncode == 1
    return db


def _names(db):
    return sorted(n for (n,) in sql(db, "SELECT name FROM representatives WHERE deleted = 0"))


def test_import_log_lists_every_import_with_when_what_who_and_counts(county):
    res = ufdesk("import", "log", "--db", county)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert len(lines) == 3
    assert "错表.xls" in lines[0] and lines[0].endswith("未导入")  # newest first
    assert "第二批.xls" in lines[1] and "代表人士" in lines[1] and "新增2 已存在0 更新0 拒收0" in lines[1]
    assert lines[1].endswith("导入")
    assert "第一批.xls" in lines[2] and "新增3" in lines[2]
    got = json.loads(ufdesk("import", "log", "--db", county, "--json").stdout)
    assert [(e["file"], e["new"], e["status"]) for e in got] == [
        ("错表.xls", None, "未导入"), ("第二批.xls", 2, "导入"), ("第一批.xls", 3, "导入")]
    assert all(IDS[0] not in json.dumps(e, ensure_ascii=False) for e in got)


def test_undo_removes_exactly_that_import_and_is_audited(county):
    entries = json.loads(ufdesk("import", "log", "--db", county, "--json").stdout)
    first = next(e["id"] for e in entries if e["file"] == "第一批.xls")
    res = ufdesk("import", "undo", "--db", county, first)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.strip() == f"已撤销第 {first} 次导入：删除了它新增的 3 条记录。"
    assert _names(county) == ["乙一", "乙二"]
    # a tombstone keeps no personal data
    assert sql(county, "SELECT count(*) FROM representatives WHERE NOT deleted = 0 AND id_number IS NULL") == [(3,)]
    again = json.loads(ufdesk("import", "log", "--db", county, "--json").stdout)
    assert next(e["status"] for e in again if e["id"] == first) == "已撤销"
    [(summary,)] = sql(county, "SELECT summary FROM audit WHERE action = 'import_undo'")
    assert summary == f"撤销第 {first} 次导入（第一批.xls）：删除其新增的代表人士 3 条"
    twice = ufdesk("import", "undo", "--db", county, first)
    assert twice.returncode != 0 and f"第 {first} 次导入已经撤销过了。" in twice.stdout + twice.stderr
    # the people of it can be imported again afterwards
    assert _names(county) == ["乙一", "乙二"]


def test_undo_is_refused_when_a_record_it_made_was_changed_since(county):
    from ufdesk.services import Services
    from ufdesk.store import Store

    entries = json.loads(ufdesk("import", "log", "--db", county, "--json").stdout)
    second = next(e["id"] for e in entries if e["file"] == "第二批.xls")
    store = Store.open(county)
    try:
        svc = Services(store, user="测试员")
        uid = next(r["uuid"] for r in svc.find_by("representatives") if r["name"] == "乙一")
        svc.update("representatives", uid, {"position": "副院长"})
    finally:
        store.close()
    before = sql(county, "SELECT uuid, version, deleted FROM representatives ORDER BY uuid")
    res = ufdesk("import", "undo", "--db", county, second)
    assert res.returncode != 0
    assert (f"第 {second} 次导入后，它新增的记录中已有 1 处又被修改、删除或补充过，不能整批撤销；请逐条核对修改。"
            in res.stdout + res.stderr)
    assert "Traceback" not in res.stderr
    assert sql(county, "SELECT uuid, version, deleted FROM representatives ORDER BY uuid") == before


@pytest.mark.parametrize("number, message", [
    (9999, "没有编号为 9999 的导入记录（可用 ufdesk import log 查看）。"),
    ("refused", "次导入当时就未写入任何数据，无需撤销。"),
])
def test_undo_of_no_such_import_says_so(county, number, message):
    if number == "refused":
        entries = json.loads(ufdesk("import", "log", "--db", county, "--json").stdout)
        number = next(e["id"] for e in entries if e["status"] == "未导入")
    res = ufdesk("import", "undo", "--db", county, number)
    assert res.returncode != 0 and message in res.stdout + res.stderr
    assert _names(county) == ["乙一", "乙二", "甲一", "甲三", "甲二"]
