"""A county with a known history, for the as-at tests: people recognised and leaving across
months (some without 认定时间, one who left without a date), political arrangements that
expire or were entered twice, site issues found and closed, proposals stepping through their
statuses (some steps undated), activities and cadres coming and going."""

from __future__ import annotations

import datetime as dt
import sqlite3

import sqlalchemy as sa

from ufdesk.services import Services
from ufdesk.services.stats import add_months

TODAY = dt.date.today()
M0 = TODAY.replace(day=1)  # the current month
T1, T2, T3 = "510599100", "510599101", "510599102"
COUNTY = ("510599", "测试县")
TOWNSHIPS = [(T1, "城关镇"), (T2, "河东乡"), (T3, "北城街道")]
VILLAGES = [("510599100001", "东街社区"), ("510599100002", "桂花村"), ("510599101001", "石桥村")]


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


def build(path):
    from ufdesk.store import Store

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
    def rep(name, arrangements=(), **v):
        subs = {"rep_arrangements": [dict(zip(("body", "level", "elected_on", "term_end", "standing"), a, strict=False))
                                     for a in arrangements]}
        return svc.create("representatives", {"name": name, "township": T1, **v}, subs=subs).uuid

    # arrangements: (body 1 人大/2 政协, level 3 市/4 县/5 乡, 当选, 到届[, 常委])
    rep("甲在册", [("2", "4", dt.date(2021, 1, 10), day(2, 15)),  # a 县政协 term that ends in the period
                 ("1", "4", dt.date(2021, 12, 1), None), ("1", "4", dt.date(2021, 12, 1), None)],  # entered twice
        recognized_on=day(3, 5))
    rep("乙退出", [("2", "3", dt.date(2022, 1, 5), dt.date(2027, 1, 5))], recognized_on=day(3, 10), status="2",
        left_on=day(2, 15), left_reason="工作调动")
    c = rep("丙无认定", [("1", "5", dt.date(2021, 12, 1), TODAY + dt.timedelta(days=400))])  # no 认定时间
    backdate(st, "representatives", c, created_at=at(day(2, 3)))
    d = rep("丁后退出", recognized_on=day(2, 1))
    svc.update("representatives", d, {"status": "3"})  # 去世 with no date: from the day it was set
    audit_on(st, d, at(day(1, 12)))
    rep("戊早退出", recognized_on=dt.date(2020, 4, 1), status="2", left_on=day(1, 5))
    f = rep("己无日期退出", recognized_on=dt.date(2020, 5, 1), status="2")  # entered so, never changed
    backdate(st, "representatives", f, created_at=at(day(3, 1)))
    rep("庚今录入")  # typed today without 认定时间 or 状态
    rep("辛将来认定", recognized_on=TODAY + dt.timedelta(days=40))
    rep("壬老人", [("2", "4", dt.date(2016, 1, 8), dt.date(2021, 1, 8)),  # an expired term
                 ("2", "4", day(1, 10), None, True)],  # a new term from last month, 常委
        recognized_on=dt.date(2019, 1, 1), township=T2)
    rep("子新认定", recognized_on=day(1, 18), township=T3)
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
    cad("部机关甲", post="01", township=None, appointed_on=dt.date(2020, 3, 1), left_on=day(1, 3))  # 县直
    cad("部机关乙", post="01", township=None, appointed_on=dt.date(2020, 3, 1))



def q(db, sql, **params):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


STATUS_SET = "(SELECT date(max(a.at)) FROM audit a WHERE a.record = {t}.uuid AND a.details LIKE '%\"status\"%')"


def register(db, d: dt.date) -> set[str]:
    """Names in the register on day ``d``, by the rule, in plain SQL."""
    r_set = f"COALESCE({STATUS_SET.format(t='r')}, date(r.created_at))"
    return {n for (n,) in q(db, f"""SELECT r.name FROM representatives r WHERE r.deleted = 0
        AND COALESCE(r.recognized_on, date(r.created_at)) <= :d
        AND (r.left_on > :d OR (r.left_on IS NULL AND (r.status NOT IN ('2', '3') OR {r_set} > :d)))""",
                            d=d.isoformat())}


def proposal_status_on(db, d: dt.date) -> dict[str, str]:
    """{title: status on day d} of proposals submitted by then, by the rule, in plain SQL: the
    highest step along the path to today's status whose day is on or before d (today's own
    step undated: the day it was set; 提交 undated: the day entered)."""
    p_set = f"COALESCE({STATUS_SET.format(t='p')}, date(p.created_at))"

    def day_of(code, col):
        return f"(CASE WHEN p.status = '{code}' THEN COALESCE(p.{col}, {p_set}) ELSE p.{col} END)"

    rows = q(db, f"""SELECT p.title, CASE
        WHEN p.status = '60' AND {day_of('60', 'closed_on')} <= :d THEN '60'
        WHEN p.status IN ('50', '60') AND {day_of('50', 'replied_on')} <= :d THEN '50'
        WHEN p.status IN ('40', '50', '60') AND {day_of('40', 'handling_on')} <= :d THEN '40'
        WHEN p.status IN ('30', '40', '50', '60') AND {day_of('30', 'assigned_on')} <= :d THEN '30'
        WHEN p.status IN ('20', '30', '40', '50', '60') AND {day_of('20', 'filed_on')} <= :d THEN '20'
        WHEN p.status = '21' AND {day_of('21', 'filed_on')} <= :d THEN '21'
        WHEN COALESCE(p.submitted_on, date(p.created_at)) <= :d THEN '10' END
        FROM proposals p WHERE p.deleted = 0""", d=d.isoformat())
    return {t: s for t, s in rows if s is not None}
