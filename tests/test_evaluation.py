"""考核评价: a county with known cadres, activities, issues, tasks, representatives, proposals and
packages; every indicator of every township checked against independent SQL; the rubric per
year, adjustments, ranks and the command line."""

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

from ufdesk.domain.errors import UfError
from ufdesk.services import Services
from ufdesk.services import evaluation as E

D = dt.date
T100, T101, T102 = "510599100", "510599101", "510599102"
ON = D(2026, 12, 31)


def build(svc: Services) -> None:
    """The county's year: what each township did, and what it left undone."""
    c = svc.create
    # cadres: 100 has its 统战委员; 101's left in July; 102 never had one
    c("cadres", {"name": "张委员", "post": "02", "township": T100, "appointed_on": D(2024, 1, 1)})
    c("cadres", {"name": "李委员", "post": "02", "township": T101, "appointed_on": D(2023, 1, 1), "left_on": D(2026, 7, 15)})
    c("cadres", {"name": "王联络", "post": "04", "township": T100, "village": "510599100001", "appointed_on": D(2025, 1, 1)})
    c("cadres", {"name": "赵联络", "post": "04", "township": T101, "village": "510599101001", "appointed_on": D(2025, 3, 1)})
    # activities: 100 five, 101 thirteen (over the target of 12), 102 none; one of 100's last year
    for n in range(5):
        c("activities", {"held_on": D(2026, 1 + 2 * n, 10), "title": f"城关学习{n}", "kind": "01", "township": T100})
    c("activities", {"held_on": D(2025, 12, 10), "title": "去年的活动", "kind": "01", "township": T100})
    for n in range(13):
        c("activities", {"held_on": D(2026, 1 + n % 12, 5), "title": f"河东活动{n}", "kind": "03", "township": T101})
    # site issues: 100 one closed in time, one closed late, one due next year; 101 one still open
    c("sites", {"name": "城关寺", "religion": "1", "township": T100}, subs={"site_issues": [
        {"found_on": D(2026, 1, 5), "issue": "消防通道堵塞", "deadline": D(2026, 3, 31), "status": "2", "closed_on": D(2026, 3, 20)},
        {"found_on": D(2026, 4, 5), "issue": "账目不清", "deadline": D(2026, 6, 30), "status": "2", "closed_on": D(2026, 7, 10)},
        {"found_on": D(2026, 11, 5), "issue": "台账不全", "deadline": D(2027, 3, 31), "status": "1"},
    ]})
    c("sites", {"name": "河东观", "religion": "2", "township": T101}, subs={"site_issues": [
        {"found_on": D(2026, 2, 1), "issue": "违规建设", "deadline": D(2026, 5, 31), "status": "1"},
    ]})
    # tasks owned by townships: 100 one on time, one late; 101 one on time, one cancelled
    c("tasks", {"content": "城关阵地建设", "deadline": D(2026, 6, 30), "status": "3", "done_on": D(2026, 6, 1), "township": T100})
    c("tasks", {"content": "城关示范创建", "deadline": D(2026, 9, 30), "status": "2", "township": T100})
    c("tasks", {"content": "河东阵地建设", "deadline": D(2026, 10, 31), "status": "3", "done_on": D(2026, 10, 31), "township": T101})
    c("tasks", {"content": "河东取消的任务", "deadline": D(2026, 4, 30), "status": "4", "township": T101})
    c("tasks", {"content": "县级任务", "deadline": D(2026, 4, 30), "status": "2", "township": None})
    # representatives: 100 two complete of three; 101 one complete of two, plus one who left
    full = {"id_number": None, "party": "05", "education": "21", "employer": "县医院", "mobile": "13800000000"}
    from xlsx_office import make_id

    for n, (tw, missing) in enumerate([(T100, None), (T100, None), (T100, "mobile"), (T101, None), (T101, "employer")]):
        values = {**full, "name": f"代表{n}", "township": tw, "status": "1", "id_number": make_id("19800101", n, True),
                  "gender": "1", "birth_date": D(1980, 1, 1)}
        if missing:
            values[missing] = None
        c("representatives", values)
    c("representatives", {"name": "退出者", "township": T101, "status": "2", "left_on": D(2026, 2, 1)})
    # proposals: 100 one closed in time, one overdue; 101 none
    c("proposals", {"title": "关于城关停车的提案", "kind": "1", "township": T100, "assigned_on": D(2026, 2, 1),
                    "status": "60", "closed_on": D(2026, 4, 15)})
    c("proposals", {"title": "关于城关供水的建议", "kind": "2", "township": T100, "assigned_on": D(2026, 5, 1),
                    "status": "40"})
    # packages: 100 on time in March and April, late in May (after the 28th); 101 on time in May
    with svc.store.engine.begin() as conn:
        for n, (tw, exported) in enumerate([(T100, dt.datetime(2026, 3, 20, 10)), (T100, dt.datetime(2026, 4, 25, 9)),
                                            (T100, dt.datetime(2026, 5, 30, 16)), (T101, dt.datetime(2026, 5, 2, 8))]):
            conn.execute(sa.text(
                "insert into package_log (package_id, direction, sender_township, exported_at, imported_at, records, status) "
                "values (:p, 'received', :t, :e, :e, 3, 'ok')"), {"p": f"pkg{n}", "t": tw, "e": exported})


@pytest.fixture
def county(services):
    build(services)
    return services


def sql_figures(store, on: dt.date) -> dict[str, dict[str, tuple[int, int]]]:
    """Every rule's numerator and denominator per township, by SQL of its own."""
    y = on.year
    conn = store.connect()
    q = lambda sql, **kw: conn.execute(sa.text(sql), {"on": on.isoformat(), "y": y, **kw}).all()  # noqa: E731
    out: dict[str, dict] = {t: {} for t in (T100, T101, T102)}
    due = 28
    months = [m for m in range(1, 13) if D(y, m, min(due, 28)) <= on]
    for t in out:
        on_time = q("select count(distinct strftime('%m', exported_at)) from package_log where direction = 'received' "
                    "and sender_township = :t and strftime('%Y', exported_at) = :ys and cast(strftime('%d', exported_at) "
                    "as integer) <= 28 and (status is null or status != 'undone')", t=t, ys=str(y))[0][0]
        out[t]["reporting"] = (on_time, len(months))
        n = q("select count(*) from cadres where deleted = 0 and township = :t and post = '02' and "
              "(left_on is null or left_on > :on) and (appointed_on is null or appointed_on <= :on)", t=t)[0][0]
        out[t]["committee"] = (min(n, 1), 1)
        villages = q("select count(*) from villages where township = :t and active = 1", t=t)[0][0]
        covered = q("select count(distinct village) from cadres where deleted = 0 and township = :t and post = '04' and "
                    "(left_on is null or left_on > :on) and (appointed_on is null or appointed_on <= :on)", t=t)[0][0]
        out[t]["liaison"] = (covered, villages)
        acts = q("select count(*) from activities where deleted = 0 and township = :t and strftime('%Y', held_on) = :ys",
                 t=t, ys=str(y))[0][0]
        out[t]["activities"] = (acts, 12)
        issues = q("select count(*), sum(i.status = '2' and i.closed_on <= i.deadline) from site_issues i join sites s on "
                   "s.uuid = i.parent where i.deleted = 0 and s.deleted = 0 and s.township = :t and deadline <= :on and "
                   "strftime('%Y', deadline) = :ys", t=t, ys=str(y))[0]
        out[t]["issues"] = (issues[1] or 0, issues[0])
        tasks = q("select count(*), sum(status = '3' and done_on <= deadline) from tasks where deleted = 0 and "
                  "township = :t and year = :y and status != '4' and deadline <= :on", t=t)[0]
        out[t]["tasks"] = (tasks[1] or 0, tasks[0])
        reps = q("select count(*), sum(coalesce(id_number, '') != '' and coalesce(party, '') != '' and "
                 "coalesce(education, '') != '' and coalesce(employer, '') != '' and coalesce(mobile, '') != '') "
                 "from representatives where deleted = 0 and status = '1' and township = :t", t=t)[0]
        out[t]["reps"] = (reps[1] or 0, reps[0])
        props = q("select count(*), sum(status = '60' and closed_on <= date(assigned_on, '+3 months')) from proposals "
                  "where deleted = 0 and township = :t and kind in ('1', '2') and assigned_on is not null and "
                  "date(assigned_on, '+3 months') between :start and :on", t=t, start=f"{y}-01-01")[0]
        out[t]["proposals"] = (props[1] or 0, props[0])
    conn.close()
    return out


def test_every_indicator_of_every_township_agrees_with_independent_sql(county):
    res = E.evaluate(county, 2026, on=ON)
    expected = sql_figures(county.store, ON)
    got = {t["code"]: {i["key"]: (i["numerator"], i["denominator"]) for i in t["indicators"]} for t in res.townships}
    assert got == expected
    # the county built above, in words: the figures are the ones a clerk would count by hand
    assert got[T100] == {"reporting": (2, 12), "committee": (1, 1), "liaison": (1, 2), "activities": (5, 12),
                         "issues": (1, 2), "tasks": (1, 2), "reps": (2, 3), "proposals": (1, 2)}
    assert got[T101]["committee"] == (0, 1) and got[T101]["activities"] == (13, 12)
    assert got[T101]["tasks"] == (1, 1) and got[T101]["issues"] == (0, 1) and got[T101]["proposals"] == (0, 0)
    for t in res.townships:
        for i in t["indicators"]:
            n, d = i["numerator"], i["denominator"]
            assert i["points"] == (i["max"] if d == 0 else round(i["max"] * min(1, n / d), 2))
        assert t["total"] == round(sum(i["points"] for i in t["indicators"]), 2)


def test_a_quarter_counts_only_its_own_months(county):
    res = E.evaluate(county, 2026, 2, on=ON)
    got = {t["code"]: {i["key"]: (i["numerator"], i["denominator"]) for i in t["indicators"]} for t in res.townships}
    assert got[T100]["reporting"] == (1, 3)  # April on time, May late, June none
    assert got[T100]["activities"] == (1, 3)  # the one in May against 3 a quarter
    assert got[T100]["issues"] == (0, 1) and got[T100]["tasks"] == (1, 1)
    assert got[T101]["committee"] == (1, 1)  # still serving on 30 June
    assert res.as_json()["quarter"] == 2


def test_adjustments_are_audited_and_move_the_rank(county, tmp_path):
    before = {t["code"]: t for t in E.evaluate(county, 2026, on=ON).townships}
    E.adjust(county, 2026, "河东乡", 5, "民族团结进步创建工作获省级表彰")
    E.adjust(county, 2026, T100, -2.5, "信息报送出现差错", quarter=4)
    after = {t["code"]: t for t in E.evaluate(county, 2026, on=ON).townships}
    assert after[T101]["total"] == round(before[T101]["total"] + 5, 2)
    assert after[T100]["adjustments"] == [{"points": -2.5, "reason": "信息报送出现差错"}]
    totals = [t["total"] for t in after.values()]
    assert [t["rank"] for t in after.values()] == [1 + sum(o > x for o in totals) for x in totals]
    q4 = {t["code"]: t for t in E.evaluate(county, 2026, 4, on=ON).townships}
    assert q4[T100]["adjustments"] and not q4[T101]["adjustments"]  # the yearly one is not a quarter's
    with county.store.connect() as conn:
        rows = conn.execute(sa.text("select summary from audit where action = 'evaluation_adjust'")).scalars().all()
    assert len(rows) == 2 and "河东乡 +5分" in rows[0]


def test_ties_share_a_rank():
    assert E.rank([90, 95, 90, 80, 95]) == [3, 1, 3, 5, 1]


def test_behind_each_figure_are_its_records(county):
    b = E.behind(county, 2026, None, T100, "tasks", on=ON)
    assert b["ledger"] == "tasks" and len(b["uuids"]) == 1 and "城关示范创建" in b["lines"][0]
    b = E.behind(county, 2026, None, T100, "reps", on=ON)
    assert b["ledger"] == "representatives" and b["lines"] == ["代表2：缺手机"]
    b = E.behind(county, 2026, None, T100, "liaison", on=ON)
    assert b["lines"] == ["桂花村（缺联络员）"]
    b = E.behind(county, 2026, None, T100, "issues", on=ON)
    assert len(b["lines"]) == 1 and "账目不清" in b["lines"][0] and "2026-07-10销号" in b["lines"][0]


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "ufdesk", *args], capture_output=True, text=True, timeout=300, env=env)


def test_cli_json_has_exactly_the_documented_shape(county):
    db = str(county.store.path)
    res = run("evaluation", "--db", db, "--year", "2026", "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert set(data) == {"year", "quarter", "townships"} and data["year"] == 2026 and data["quarter"] is None
    t = data["townships"][0]
    assert set(t) == {"code", "name", "indicators", "adjustments", "total", "rank"}
    assert set(t["indicators"][0]) == {"key", "label", "points", "max", "numerator", "denominator"}
    assert [x["code"] for x in data["townships"]] == [T100, T101, T102]


def test_cli_adjust_refuses_bad_input_in_one_sentence_and_writes_nothing(county):
    db = str(county.store.path)
    res = run("evaluation", "adjust", "--db", db, "--year", "2026", "--township", "月亮乡", "--points", "3",
              "--reason", "测试")
    assert res.returncode == 1 and "“月亮乡”不是本县的乡镇" in res.stderr and "Traceback" not in res.stderr
    res = run("evaluation", "adjust", "--db", db, "--year", "2026", "--township", T102, "--points", "3", "--reason", " ")
    assert res.returncode == 1 and "理由" in res.stderr
    with county.store.connect() as conn:
        assert conn.execute(sa.text("select count(*) from evaluation_adjustments")).scalar() == 0
    res = run("evaluation", "adjust", "--db", db, "--year", "2026", "--township", T102, "--points", "-3",
              "--reason", "未按时报送")
    assert res.returncode == 0 and "-3分" in res.stdout


def test_next_years_rubric_edited_in_excel_leaves_this_years_scores(county, tmp_path):
    db = str(county.store.path)
    this_year = run("evaluation", "--db", db, "--year", "2026", "--json")
    assert this_year.returncode == 0
    out = tmp_path / "细则.xlsx"
    assert run("evaluation", "rubric", "--db", db, "--year", "2027", "--export", str(out)).returncode == 0
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    assert [c.value for c in ws[1]] == ["代码", "指标", "规则", "分值", "参数"]
    ws["D2"] = 30  # 按时报送率 weighs double next year
    ws["E5"] = 6  # six activities a quarter
    src = tmp_path / "edited" / "细则.xlsx"
    src.parent.mkdir()
    wb.save(src)
    office = convert(src, "xlsx", tmp_path / "office")  # saved again by LibreOffice, as an office would
    res = run("evaluation", "rubric", "--db", db, "--year", "2027", "--import", str(office))
    assert res.returncode == 0, res.stderr
    assert "共115分" in res.stdout
    assert run("evaluation", "--db", db, "--year", "2026", "--json").stdout == this_year.stdout
    items = {i.key: i for i in E.rubric(county.store, 2027)}
    assert items["reporting"].points == 30 and items["activities"].param == 6
    assert E.rubric(county.store, 2026)[0].points == 15
    bad = tmp_path / "bad.xlsx"
    ws["C3"] = "看心情"
    wb.save(bad)
    res = run("evaluation", "rubric", "--db", db, "--year", "2027", "--import", str(bad))
    assert res.returncode == 1 and "第3行" in res.stderr and "“看心情”不是可用的规则" in res.stderr
    assert {i.key: i.points for i in E.rubric(county.store, 2027)}["reporting"] == 30  # left as it was


def test_a_township_installation_sees_only_its_own_figures(tmp_path):
    from ufdesk.store import Store

    s = Store.create(tmp_path / "tw.db", county_code=COUNTY[0], county_name=COUNTY[1], townships=TOWNSHIPS,
                     villages=VILLAGES, township=T101)
    try:
        svc = Services(s)
        res = E.evaluate(svc, 2026, on=ON)
        assert [t["code"] for t in res.townships] == [T101]
        with pytest.raises(UfError, match="乡镇不能录入"):
            E.adjust(svc, 2026, T101, 5, "自己给自己加分")
    finally:
        s.close()
