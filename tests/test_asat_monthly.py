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
from asat_history import M0, TODAY, at, audit_on, build, day, month, q
from reports_helpers import flat

from ufdesk.services import Services
from ufdesk.services.stats import add_months


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return build(tmp_path_factory.mktemp("asat") / "county.db")

# -- the figures as independent SQL over that history ---------------------------------------
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
