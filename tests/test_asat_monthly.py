"""The monthly summary as at the month's last day: a county with a known history (people
recognised and leaving across months, some without 认定时间, one who left without a date;
issues found and closed; proposals stepping through their statuses, some steps undated), and
every figure of the printed summary for three past months and the current one checked
against independent SQL over that history."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest
import sqlalchemy as sa
from reports_helpers import flat

from ufdesk.services import Services
from ufdesk.services.stats import add_months

TODAY = dt.date.today()
M0 = TODAY.replace(day=1)  # the current month
T1, T2, T3 = "510599100", "510599101", "510599102"


def day(back: int, dom: int) -> dt.date:
    """Day ``dom`` of the month ``back`` months before this one (the current month: at most today)."""
    d = add_months(M0, -back).replace(day=dom)
    return min(d, TODAY) if back == 0 else d


def month(back: int) -> str:
    return add_months(M0, -back).strftime("%Y-%m")


def at(d: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(d, dt.time(hour))


def backdate(store, table: str, uuid: str, **cols) -> None:
    with store.engine.begin() as conn:
        sets = ", ".join(f"{c} = :{c}" for c in cols)
        conn.execute(sa.text(f"UPDATE {table} SET {sets} WHERE uuid = :u"), {**cols, "u": uuid})


def audit_on(store, uuid: str, when: dt.datetime) -> None:
    """The last audit entry of a record happened on ``when``."""
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE audit SET at = :t WHERE id = (SELECT max(id) FROM audit WHERE record = :u)"),
                     {"t": when, "u": uuid})


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    from conftest import COUNTY, TOWNSHIPS, VILLAGES

    from ufdesk.store import Store

    path = tmp_path_factory.mktemp("asat") / "county.db"
    store = Store.create(path, county_code=COUNTY[0], county_name=COUNTY[1], townships=TOWNSHIPS, villages=VILLAGES)
    svc = Services(store, user="测试员")
    _people(svc)
    _sites(svc)
    _proposals(svc)
    _activities_and_cadres(svc)
    store.close()
    return path


def _people(svc):
    st = svc.store
    rep = lambda name, **v: svc.create("representatives", {"name": name, "township": T1, **v}).uuid  # noqa: E731
    rep("甲在册", recognized_on=day(3, 5))
    rep("乙退出", recognized_on=day(3, 10), status="2", left_on=day(2, 15), left_reason="工作调动")
    c = rep("丙无认定")  # no 认定时间: counts from the day entered
    backdate(st, "representatives", c, created_at=at(day(2, 3)))
    d = rep("丁后退出", recognized_on=day(2, 1))
    svc.update("representatives", d, {"status": "3"})  # 去世 with no date: from the day it was set
    audit_on(st, d, at(day(1, 12)))
    rep("戊早退出", recognized_on=dt.date(2020, 4, 1), status="2", left_on=day(1, 5))
    f = rep("己无日期退出", recognized_on=dt.date(2020, 5, 1), status="2")  # entered so, never changed
    backdate(st, "representatives", f, created_at=at(day(3, 1)))
    rep("庚今天录入")  # typed today without 认定时间 or 状态
    rep("辛将来认定", recognized_on=TODAY + dt.timedelta(days=40))
    rep("壬老人", recognized_on=dt.date(2019, 1, 1), township=T2)
    rep("子上月认定", recognized_on=day(1, 18), township=T3)
    gone = rep("癸已删除", recognized_on=dt.date(2020, 1, 1))
    svc.delete("representatives", gone)


def _sites(svc):
    issue = lambda found, text, **v: {"found_on": found, "issue": text, **v}  # noqa: E731
    svc.create("sites", {"name": "清泉寺", "religion": "1", "township": T1}, subs={
        "site_issues": [
            issue(day(3, 2), "消防器材过期", status="2", closed_on=day(2, 10)),
            issue(day(2, 20), "账目不公开", status="2", closed_on=day(1, 3), deadline=day(1, 10)),
            issue(day(1, 8), "登记证未悬挂", deadline=day(1, 28)),
            issue(day(0, 1), "香炉位置不当", deadline=day(0, 1) + dt.timedelta(days=60)),
        ],
        "site_inspections": [{"inspected_on": day(2, 20), "inspectors": "张、李"},
                             {"inspected_on": day(1, 8), "inspectors": "王"}],
    })
    svc.create("sites", {"name": "白云观", "religion": "2", "township": T2}, subs={
        "site_issues": [issue(day(3, 25), "围墙破损", deadline=day(2, 5))],
        "site_inspections": [{"inspected_on": day(3, 25)}],
    })


def _proposals(svc):
    st = svc.store
    prop = lambda title, kind, **v: svc.create("proposals", {"title": title, "kind": kind, **v}).uuid  # noqa: E731
    prop("关于完善乡村道路的提案", "1", status="60", submitted_on=day(3, 3), filed_on=day(3, 10), assigned_on=day(3, 15),
         replied_on=day(1, 2), closed_on=day(0, 1))
    prop("关于加强养老服务的建议", "2", status="40", submitted_on=day(7, 1),
         assigned_on=day(6, 20), handling_on=day(5, 1))
    prop("关于花椒产业的提案", "1", status="60", submitted_on=day(6, 1), assigned_on=day(6, 10), replied_on=day(3, 20),
         closed_on=day(2, 5))
    four = prop("关于设立夜市的提案", "1", submitted_on=day(2, 5))
    svc.update("proposals", four, {"status": "21"})  # 不立案, its day not typed
    audit_on(st, four, at(day(2, 20)))
    five = prop("社情民意：河道垃圾", "3")  # no 提交日期: from the day entered
    backdate(st, "proposals", five, created_at=at(day(1, 4)))
    six = prop("关于校车安全的提案", "1", status="50", submitted_on=day(6, 1), assigned_on=day(6, 15),
               replied_on=add_months(M0, -2))
    svc.update("proposals", six, {"status": "60"})  # 办结 without 办结日期
    audit_on(st, six, at(day(1, 9)))


def _activities_and_cadres(svc):
    for back, dom, kind, n, tw in ((3, 4, "01", 30, T1), (2, 8, "03", 12, T2), (2, 9, "01", 20, T1),
                                   (1, 15, "05", 40, T3), (0, 1, "02", 25, T1)):
        svc.create("activities", {"held_on": day(back, dom), "title": f"活动{back}-{dom}", "kind": kind,
                                  "headcount": n, "township": tw})
    cad = lambda name, **v: svc.create("cadres", {"name": name, **v}).uuid  # noqa: E731
    cad("统战委员甲", post="02", township=T1, appointed_on=day(3, 1), left_on=day(1, 20))
    cad("统战委员乙", post="02", township=T1, appointed_on=day(1, 21))
    cad("统战委员丙", post="02", township=T2, appointed_on=day(2, 6))
    cad("联络员甲", post="04", township=T1, village="510599100001", appointed_on=day(3, 7))
    cad("联络员乙", post="04", township=T2, village="510599101001", appointed_on=day(2, 2), left_on=day(0, 1))


# -- the figures as independent SQL over that history ---------------------------------------
def q(db, sql, **params):
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


STATUS_SET = ("(SELECT date(max(a.at)) FROM audit a WHERE a.record = {t}.uuid AND a.details LIKE '%\"status\"%')")


def expected(db, back: int) -> dict:
    start = add_months(M0, -back)
    end = min(add_months(start, 1) - dt.timedelta(days=1), TODAY)
    s, e = start.isoformat(), end.isoformat()
    limit = add_months(end, -3).isoformat()
    r_set = f"COALESCE({STATUS_SET.format(t='r')}, date(r.created_at))"
    entered = "COALESCE(r.recognized_on, date(r.created_at))"
    present = q(db, f"""SELECT count(*) FROM representatives r WHERE r.deleted = 0 AND {entered} <= :e
        AND (r.left_on > :e OR (r.left_on IS NULL AND (r.status NOT IN ('2', '3') OR {r_set} > :e)))""", e=e)[0][0]
    added = q(db, f"SELECT count(*) FROM representatives r WHERE r.deleted = 0 AND {entered} BETWEEN :s AND :e",
              s=s, e=e)[0][0]
    left = q(db, f"""SELECT count(*) FROM representatives r WHERE r.deleted = 0 AND (r.left_on BETWEEN :s AND :e
        OR (r.left_on IS NULL AND r.status IN ('2', '3') AND {r_set} BETWEEN :s AND :e))""", s=s, e=e)[0][0]
    p_set = f"COALESCE({STATUS_SET.format(t='p')}, date(p.created_at))"
    submitted = q(db, "SELECT count(*) FROM proposals p WHERE p.deleted = 0 AND "
                      "COALESCE(p.submitted_on, date(p.created_at)) BETWEEN :s AND :e", s=s, e=e)[0][0]
    replied = q(db, f"""SELECT count(*) FROM proposals p WHERE p.deleted = 0 AND p.status IN ('50', '60')
        AND (CASE WHEN p.status = '50' THEN COALESCE(p.replied_on, {p_set}) ELSE p.replied_on END) BETWEEN :s AND :e""",
                s=s, e=e)[0][0]
    closed = q(db, f"""SELECT count(*) FROM proposals p WHERE p.deleted = 0 AND p.status = '60'
        AND COALESCE(p.closed_on, {p_set}) BETWEEN :s AND :e""", s=s, e=e)[0][0]
    overdue = [t for (t,) in q(db, f"""SELECT p.title FROM proposals p WHERE p.deleted = 0 AND p.kind IN ('1', '2')
        AND p.status IN ('30', '40', '50', '60') AND p.assigned_on < :limit
        AND NOT (p.status = '60' AND COALESCE(p.closed_on, {p_set}) <= :e)""", limit=limit, e=e)]
    issue_closed = "COALESCE(i.closed_on, CASE WHEN i.status <> '1' THEN date(i.updated_at) END, '9999-12-31')"
    open_rows = q(db, f"""SELECT i.issue, i.deadline FROM site_issues i JOIN sites t ON t.uuid = i.parent
        WHERE i.deleted = 0 AND t.deleted = 0 AND i.found_on <= :e AND {issue_closed} > :e""", e=e)
    found = q(db, "SELECT count(*) FROM site_issues i WHERE i.deleted = 0 AND i.found_on BETWEEN :s AND :e",
              s=s, e=e)[0][0]
    closed_issues = q(db, f"SELECT count(*) FROM site_issues i WHERE i.deleted = 0 AND {issue_closed} BETWEEN :s AND :e",
                      s=s, e=e)[0][0]
    inspections = q(db, "SELECT count(*) FROM site_inspections WHERE deleted = 0 AND inspected_on BETWEEN :s AND :e",
                    s=s, e=e)[0][0]
    acts = q(db, "SELECT count(*), COALESCE(sum(headcount), 0) FROM activities WHERE deleted = 0 "
                 "AND held_on BETWEEN :s AND :e", s=s, e=e)[0]
    appointed = q(db, "SELECT count(*) FROM cadres WHERE deleted = 0 AND appointed_on BETWEEN :s AND :e", s=s, e=e)[0][0]
    gone = q(db, "SELECT count(*) FROM cadres WHERE deleted = 0 AND left_on BETWEEN :s AND :e", s=s, e=e)[0][0]
    serving = "deleted = 0 AND (appointed_on IS NULL OR appointed_on <= :e) AND (left_on IS NULL OR left_on > :e)"
    no_committee = q(db, f"SELECT count(*) FROM townships WHERE code NOT IN (SELECT township FROM cadres "
                         f"WHERE {serving} AND post = '02')", e=e)[0][0]
    no_liaison = q(db, f"SELECT count(*) FROM villages WHERE code NOT IN (SELECT village FROM cadres "
                       f"WHERE {serving} AND post = '04' AND village IS NOT NULL)", e=e)[0][0]
    return {"end": end, "activities": acts[0], "headcount": acts[1], "added": added, "left": left, "present": present,
            "submitted": submitted, "replied": replied, "closed": closed, "overdue": sorted(overdue),
            "inspections": inspections, "found": found, "closed_issues": closed_issues,
            "open": sorted(i for i, _d in open_rows), "open_overdue": sum(1 for _i, d in open_rows if d and d < e),
            "appointed": appointed, "cadres_left": gone, "no_committee": no_committee, "no_liaison": no_liaison}


def sql_now(db) -> int:
    """What the old summary printed for any month: today's 在册."""
    return q(db, "SELECT count(*) FROM representatives WHERE deleted = 0 AND status = '1'")[0][0]


OVERVIEW = re.compile(
    r"(\d+)年(\d+)月，全县共开展统战活动(\d+)次，参加(\d+)人次(?:，捐资[\d.]+万元)?；新认定党外代表人士(\d+)人，退出(\d+)人，"
    r"月末在册(\d+)人；提交提案建议(\d+)件，答复(\d+)件，办结(\d+)件，超期未办结(\d+)件；检查宗教活动场所(\d+)处次，"
    r"发现问题(\d+)个，销号(\d+)个，尚有(\d+)个问题整改中（其中逾期(\d+)个）；统战干部新任(\d+)人、离任(\d+)人，"
    r"(\d+)个乡镇（街道）缺统战委员，(\d+)个村（社区）缺统战联络员")


@pytest.mark.parametrize("back", [3, 2, 1, 0])
def test_every_figure_of_the_monthly_summary_is_as_at_the_months_end(county, tmp_path, back):
    out = tmp_path / "m.pdf"
    r = subprocess.run([sys.executable, "-m", "ufdesk", "report", "monthly", "--db", str(county), "--month", month(back),
                        "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    txt = flat(out)
    want = expected(county, back)
    m = OVERVIEW.search(txt)
    assert m, txt[:600]
    got = [int(x) for x in m.groups()[2:]]
    assert got == [want["activities"], want["headcount"], want["added"], want["left"], want["present"],
                   want["submitted"], want["replied"], want["closed"], len(want["overdue"]), want["inspections"],
                   want["found"], want["closed_issues"], len(want["open"]), want["open_overdue"], want["appointed"],
                   want["cadres_left"], want["no_committee"], want["no_liaison"]]
    end = want["end"]
    assert f"截至{end.year}年{end.month}月{end.day}日" in txt and "属性为当前登记的情况" in txt
    # the 整改台账 lists exactly the issues open that day; the overdue list exactly those overdue then
    ledger = txt[txt.index("问题整改台账（整改中）"):txt.index("统战干部队伍")]
    every = [i for (i,) in q(county, "SELECT issue FROM site_issues")]
    assert sorted(i for i in every if i in ledger) == want["open"]
    overdue_part = txt[txt.index("超期未办结（"):txt.index("宗教活动场所管理")]
    titles = [t for (t,) in q(county, "SELECT title FROM proposals")]
    assert sorted(t for t in titles if t in overdue_part) == want["overdue"]


def test_the_history_moves_the_figures(county):
    """The history is built so that each figure changes between the months (a figure that
    stays put would not show that it is taken as at the month's end)."""
    figures = [expected(county, back) for back in (3, 2, 1, 0)]
    for key in ("present", "added", "left", "open", "overdue", "closed", "submitted"):
        assert len({str(f[key]) for f in figures}) > 1, key
    now = sql_now(county)
    assert figures[0]["present"] != now  # today's register is not September's


def test_step_dates_are_filled_from_the_audit_history(store):
    """A database from before 立案日期/办理日期: the migration takes each step's day from the
    audit log's status changes, and leaves typed dates alone."""
    from alembic import command

    from ufdesk.store import Store
    from ufdesk.store.engine import alembic_config

    svc = Services(store, user="测试员")
    u = svc.create("proposals", {"title": "关于农村饮水的提案", "kind": "1", "submitted_on": day(3, 1)}).uuid
    for status, when in (("20", day(3, 9)), ("30", day(2, 2)), ("40", day(2, 12))):
        svc.update("proposals", u, {"status": status})
        audit_on(store, u, at(when))
    typed = svc.create("proposals", {"title": "关于集镇停车的建议", "kind": "2", "assigned_on": day(2, 1)}).uuid
    svc.update("proposals", typed, {"status": "30"})
    command.downgrade(alembic_config(store.engine), "0007")
    db = store.path
    store.close()
    Store.open(db).close()
    rows = dict((r[0], r[1:]) for r in q(db, "SELECT uuid, filed_on, assigned_on, handling_on FROM proposals"))
    assert rows[u] == (day(3, 9).isoformat(), day(2, 2).isoformat(), day(2, 12).isoformat())
    assert rows[typed] == (None, day(2, 1).isoformat(), None)
