"""重点任务: the seventh ledger — 滞后 on the right day, nested 序号 from an office's 任务分解表,
the township's field-level scope, month-end figures against independent SQL, stats."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import openpyxl
import pytest
import sqlalchemy as sa
from package_helpers import COUNTY, TOWNSHIPS, VILLAGES
from xlsx_office import convert

from ufdesk.domain.errors import ValidationError
from ufdesk.exchange.xlsx_import import import_file
from ufdesk.services import Services
from ufdesk.services import tasks as T
from ufdesk.store import Store

D = dt.date


def task(svc, content, deadline, status="2", **kw):
    return svc.create("tasks", {"content": content, "deadline": deadline, "status": status, **kw}).uuid


def test_a_task_is_late_the_day_after_its_deadline_and_not_before(services):
    u = task(services, "召开推进会", D(2026, 4, 30))
    row = services.get("tasks", u)
    assert row["year"] == 2026  # 年度 from 完成时限
    assert T.state_on(row, D(2026, 4, 30)) == "in_progress"
    assert T.state_on(row, D(2026, 5, 1)) == "late"
    services.update("tasks", u, {"status": "3", "done_on": D(2026, 5, 6)})
    row = services.get("tasks", u)
    assert [T.state_on(row, D(2026, 5, d)) for d in (1, 5, 6, 7)] == ["late", "late", "done", "done"]
    assert not T.on_time(row)
    cancelled = services.get("tasks", task(services, "取消的任务", D(2026, 3, 31), status="4"))
    assert T.state_on(cancelled, D(2026, 12, 1)) == "cancelled"
    # the SQL form agrees with the rule, day by day
    t = sa.table("tasks", sa.column("deadline"), sa.column("status"), sa.column("done_on"), sa.column("uuid"),
                 sa.column("deleted"))
    for day in (D(2026, 4, 30), D(2026, 5, 1), D(2026, 5, 6)):
        with services.store.connect() as conn:
            late = set(conn.execute(sa.select(t.c.uuid).where(T.late_condition(t, day))).scalars())
        assert late == ({u} if day in (D(2026, 5, 1),) else set()), day


def test_a_completed_task_needs_its_date(services):
    with pytest.raises(ValidationError, match="完成日期"):
        task(services, "没有完成日期", D(2026, 6, 30), status="3")


def test_sequence_numbers_sort_as_offices_write_them():
    seqs = ["十一、", "(2)", "二十三", "10", "①", "一、", "（三）", "2、", "⑫", "1.", "（14）"]
    assert [T.seq_key(s)[0] for s in seqs] == [11, 2, 23, 10, 1, 1, 3, 2, 12, 1, 14]
    assert sorted(["10", "9", "十", "二"], key=T.seq_key) == ["二", "9", "10", "十"]


def test_undo_and_audit_come_from_the_one_mechanism(services):
    u = task(services, "建立台账", D(2026, 9, 30))
    services.update("tasks", u, {"leader": "王立新"})
    assert services.undo_label == "修改 建立台账"
    services.undo()
    assert services.get("tasks", u)["leader"] in (None, "")
    with services.store.connect() as conn:
        actions = conn.execute(sa.text("select action from audit where ledger='tasks' order by id")).scalars().all()
    assert actions == ["create", "update", "undo"]


@pytest.fixture
def township(tmp_path):
    s = Store.create(tmp_path / "tw.db", county_code=COUNTY[0], county_name=COUNTY[1], townships=TOWNSHIPS,
                     villages=VILLAGES, township=TOWNSHIPS[0][0])
    yield s
    s.close()


def test_a_township_reports_progress_but_cannot_change_the_task(township):
    from ufdesk.store.records import WriteCtx, insert

    uid = "11111111-2222-4333-8444-555555555555"
    with township.engine.begin() as conn:  # as a county package would bring it
        insert(conn, "tasks", {"uuid": uid, "township": TOWNSHIPS[0][0], "year": 2026, "seq": "1",
                               "content": "建成统战工作阵地", "deadline": D(2026, 6, 30), "status": "2"},
               WriteCtx("county", 1))
    svc = Services(township, user="乡镇统战委员")
    with pytest.raises(ValidationError, match="完成时限.*由县委统战部确定"):
        svc.update("tasks", uid, {"deadline": D(2026, 12, 31)})
    with pytest.raises(ValidationError, match="乡镇不能新增重点任务"):
        svc.create("tasks", {"content": "自己加的任务", "deadline": D(2026, 8, 31)})
    with pytest.raises(ValidationError, match="乡镇不能删除"):
        svc.delete("tasks", uid)
    svc.update("tasks", uid, {"status": "3", "done_on": D(2026, 6, 20)},
               subs={"task_progress": [{"month": D(2026, 6, 1), "progress": "阵地已挂牌", "reporter": "李华"}]})
    row = svc.get("tasks", uid)
    assert (row["status"], row["done_on"], row["deadline"]) == ("3", D(2026, 6, 20), D(2026, 6, 30))
    assert [p["progress"] for p in row["subs"]["task_progress"]] == ["阵地已挂牌"]
    # other ledgers keep every right on a township
    svc.create("activities", {"held_on": D(2026, 6, 1), "title": "学习会", "kind": "01"})


def office_breakdown(tmp_path):
    """A 任务分解表 as an office keeps it: title and unit rows, 类别 merged down over its tasks,
    序号 nested 1 / (1) / (2), dates as text and as Excel dates, a township column; saved by
    LibreOffice."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "重点任务"
    rows = [
        ["测试县2026年统一战线重点任务推进表", None, None, None, None, None, None, None],
        ["填报单位：县委统战部", None, None, None, None, None, "填报日期：2026年3月1日", None],
        ["类别", "序号", "重点任务", "完成标准", "牵头领导", "责任单位", "所属乡镇", "完成时限"],
        ["思想政治引领", "1", "开展理论学习", "专题学习2次", "王立新", "统战部", None, "2026.06.30"],
        [None, "(1)", "举办专题培训班", "培训100人次", "王立新", "县委党校", None, D(2026, 9, 30)],
        [None, "(2)", "城关镇开展宣讲", "宣讲5场", "王立新", "城关镇", "城关镇", "2026年10月31日"],
        ["民族工作", "2", "开展民族团结进步宣传月", "宣讲20场", "刘红", "县民宗局", None, D(2026, 9, 30)],
        [None, "3", "巩固示范县创建成果", "通过复验", "刘红", "民宗局", None, D(2026, 12, 31)],
    ]
    for r in rows:
        ws.append(r)
    ws.merge_cells("A1:H1")
    ws.merge_cells("A4:A6")
    ws.merge_cells("A7:A8")
    src = tmp_path / "src" / "任务分解表.xlsx"
    src.parent.mkdir()
    wb.save(src)
    return convert(src, "xlsx", tmp_path / "office")


def test_import_of_an_office_breakdown_nests_tasks_and_fills_merged_categories(services, tmp_path):
    path = office_breakdown(tmp_path)
    report = import_file(services, "tasks", path)
    assert report.ok and report.new == 5, report.summary()
    with services.store.connect() as conn:
        rows = {r["seq"]: dict(r) for r in conn.execute(sa.text("select * from tasks")).mappings()}
    assert {k: r["category"] for k, r in rows.items()} == {"1": "01", "(1)": "01", "(2)": "01", "2": "04", "3": "04"}
    assert rows["(1)"]["parent_task"] == rows["1"]["uuid"] and rows["(2)"]["parent_task"] == rows["1"]["uuid"]
    assert rows["1"]["parent_task"] is None and rows["2"]["parent_task"] is None and rows["3"]["parent_task"] is None
    assert {r["year"] for r in rows.values()} == {2026}
    assert rows["(2)"]["township"] == "510599100" and rows["(2)"]["unit"] == "510599100"
    assert rows["1"]["unit"] == "01" and rows["3"]["unit"] == "02"
    assert str(rows["(2)"]["deadline"]) == "2026-10-31"
    board = T.load(services.store, 2026)
    assert [(r["seq"], r["depth"]) for r in board] == [("1", 0), ("(1)", 1), ("(2)", 1), ("2", 0), ("3", 0)]


def month_sql(store, month_end: dt.date):
    """Independent SQL: (done, late, in progress) of the year's tasks on the month's last day."""
    with store.connect() as conn:
        q = lambda cond: conn.execute(sa.text(  # noqa: E731
            f"select count(*) from tasks where deleted = 0 and year = :y and {cond}"),
            {"y": month_end.year, "d": month_end.isoformat()}).scalar()
        done = q("status = '3' and done_on <= :d")
        late = q("deadline < :d and status != '4' and not (status = '3' and done_on <= :d)")
        total = q("status != '4'")
    return done, late, total - done - late


def test_month_end_figures_agree_with_independent_sql(services):
    a = task(services, "按期完成", D(2026, 3, 31), status="3", done_on=D(2026, 3, 20), unit="01")
    task(services, "逾期完成", D(2026, 3, 31), status="3", done_on=D(2026, 5, 10), unit="02")
    late = task(services, "滞后", D(2026, 4, 30), unit="03")
    task(services, "推进中", D(2026, 12, 31), unit="01")
    task(services, "未启动", D(2026, 12, 31), status="1", unit="03")
    task(services, "取消", D(2026, 2, 28), status="4", unit="01")
    services.update("tasks", a, {}, subs={"task_progress": [{"month": D(2026, 3, 1), "progress": "完成"}]})
    services.update("tasks", late, {}, subs={"task_progress": [{"month": D(2026, 4, 1), "progress": "推进"}]})
    for month, end in (("2026-03", D(2026, 3, 31)), ("2026-04", D(2026, 4, 30)), ("2026-05", D(2026, 5, 31))):
        f = T.month_figures(services.store, month)
        assert (f["done"], f["late_count"], f["in_progress"]) == month_sql(services.store, end), month
    f = T.month_figures(services.store, "2026-04")
    # on 30 April: 逾期完成 is a month late; 滞后 is due that very day, so not yet late
    assert [(x["content"], x["unit"], x["days"]) for x in f["late"]] == [("逾期完成", "县民族宗教事务局", 30)]
    may = T.month_figures(services.store, "2026-05")
    assert [(x["content"], x["unit"], x["days"]) for x in may["late"]] == [("滞后", "县工商联", 31)]
    # 本月未填报进展 in April: everything still open in April but the late one that reported
    silent = {x["unit"]: x["count"] for x in f["not_reported"]}
    assert silent == {"县民族宗教事务局": 1, "县委统战部": 1}


def test_stats_json_counts_tasks_at_top_level_and_per_township(tmp_path):
    db = tmp_path / "demo.db"
    run = lambda *a: subprocess.run([sys.executable, "-m", "ufdesk", *a], capture_output=True, text=True,  # noqa: E731
                                    timeout=300)
    assert run("demo", "--db", str(db), "--size", "60").returncode == 0
    res = run("stats", "--db", str(db), "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    store = Store.open(db)
    with store.connect() as conn:
        total = conn.execute(sa.text("select count(*) from tasks where deleted = 0")).scalar()
        per = dict(conn.execute(sa.text("select coalesce(township, 'county'), count(*) from tasks where deleted = 0 "
                                        "group by township")).all())
    store.close()
    assert data["tasks"] == total and 35 <= total <= 45
    assert {k: v["tasks"] for k, v in data["by_township"].items() if v["tasks"]} == per
    assert 0.25 <= sum(v for k, v in per.items() if k != "county") / total <= 0.4  # a third township-owned


def test_a_township_cannot_import_tasks_from_a_spreadsheet(township, tmp_path):
    path = office_breakdown(tmp_path)
    from ufdesk.exchange.xlsx_import import ImportRefused

    with pytest.raises(ImportRefused, match="乡镇不能导入"):
        import_file(Services(township, user="乡镇"), "tasks", path)
    with township.connect() as conn:
        assert conn.execute(sa.text("select count(*) from tasks")).scalar() == 0
