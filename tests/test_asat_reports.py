"""``--date`` for the structure analysis, the roster and the sites, proposals and cadres
reports: each printed as at two days of the known history, every figure checked against
independent SQL; arrangements counted once per body and level while a term is current;
totals equal the sum of their rows, shares add up to the 100.0% printed under them, and the
text says the figures of the table below it."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest
from asat_history import TODAY, build, day, proposal_status_on, q, register
from reports_helpers import table_line, text

DAYS = (day(2, 10), TODAY)  # before the 县政协 term ends and 乙 leaves; today


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return build(tmp_path_factory.mktemp("asat-reports") / "county.db")


def report(db, tmp_path, name: str, on: dt.date, *extra) -> str:
    out = tmp_path / f"{name}-{on}.pdf"
    r = subprocess.run([sys.executable, "-m", "ufdesk", "report", name, "--db", str(db), "--date", on.isoformat(),
                        "--out", str(out), *extra], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return text(out)


def cn(d: dt.date) -> str:
    return f"截至{d.year}年{d.month}月{d.day}日"


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def arrangements(db, on: dt.date) -> dict[tuple[str, str], int]:
    """{(body, level): people holding a current term that day}, people in the register only."""
    names = register(db, on)
    rows = q(db, """SELECT a.body, a.level, r.name, a.parent FROM rep_arrangements a
        JOIN representatives r ON r.uuid = a.parent WHERE a.deleted = 0 AND r.deleted = 0
        AND (a.elected_on IS NULL OR a.elected_on <= :d) AND (a.term_end IS NULL OR a.term_end > :d)""",
             d=on.isoformat())
    held: dict[tuple[str, str], set] = {}
    for body, level, name, parent in rows:
        if name in names:
            held.setdefault((body, level), set()).add(parent)
    return {k: len(v) for k, v in held.items()}


@pytest.mark.parametrize("on", DAYS)
def test_structure_as_at_a_day(county, tmp_path, on):
    lay = report(county, tmp_path, "structure", on)
    flat_lay = squash(lay)
    names = register(county, on)
    assert cn(on) in flat_lay and f"在册党外代表人士共{len(names)}人" in flat_lay
    assert "属性为当前登记的情况" in flat_lay
    held = arrangements(county, on)
    persons = q(county, """SELECT DISTINCT r.name FROM rep_arrangements a JOIN representatives r ON r.uuid = a.parent
        WHERE a.deleted = 0 AND (a.elected_on IS NULL OR a.elected_on <= :d)
        AND (a.term_end IS NULL OR a.term_end > :d)""", d=on.isoformat())
    assert f"有政治安排的{len({n for (n,) in persons} & names)}人" in flat_lay
    for body, label in (("1", "人大代表"), ("2", "政协委员")):
        cells = table_line(lay, label)
        levels = [held.get((body, lv), 0) for lv in "12345"]
        standing = q(county, """SELECT count(DISTINCT a.parent) FROM rep_arrangements a WHERE a.deleted = 0
            AND a.body = :b AND a.standing = 1 AND (a.elected_on IS NULL OR a.elected_on <= :d)
            AND (a.term_end IS NULL OR a.term_end > :d)""", b=body, d=on.isoformat())[0][0]
        assert cells[1:] == [str(n) for n in levels] + [str(sum(levels)), str(standing)]
    assert "同一人在同一类别、同一层级只计一次" in flat_lay
    # every share table adds up: the 合计 row is the sum of the rows and the shares make its 100.0%
    cells = table_line(lay, "未填")  # the test county leaves 类别, 性别 … empty: everyone is 未填
    assert cells[1] == str(len(names)) and cells[2] == "100.0%"


def test_structure_counts_a_term_entered_twice_once_and_an_expired_one_not(county, tmp_path):
    """甲 holds one 县人大 term entered twice and a 县政协 term that ended: on the later day he
    counts once for 人大 and not for 政协."""
    lay = report(county, tmp_path, "structure", TODAY)
    rows = q(county, """SELECT count(*) FROM rep_arrangements a JOIN representatives r ON r.uuid = a.parent
        WHERE r.name = '甲在册' AND a.deleted = 0""")[0][0]
    assert rows == 3
    assert table_line(lay, "人大代表")[4] == str(arrangements(county, TODAY)[("1", "4")])
    assert arrangements(county, TODAY)[("1", "4")] == 1
    assert arrangements(county, DAYS[0])[("2", "4")] == 1 and arrangements(county, TODAY)[("2", "4")] == 1


@pytest.mark.parametrize("on", DAYS)
def test_roster_as_at_a_day(county, tmp_path, on):
    lay = squash(report(county, tmp_path, "roster", on))
    names = register(county, on)
    everyone = {n for (n,) in q(county, "SELECT name FROM representatives WHERE deleted = 0")}
    assert {n for n in everyone if n in lay} == names
    assert f"{cn(on)}，共{len(names)}人" in lay


@pytest.mark.parametrize("on", DAYS)
def test_sites_issue_ledger_as_at_a_day(county, tmp_path, on):
    lay = squash(report(county, tmp_path, "sites", on))
    d = on.isoformat()
    closed = "COALESCE(i.closed_on, CASE WHEN i.status <> '1' THEN date(i.updated_at) END, '9999-12-31')"
    rows = q(county, f"SELECT i.issue, {closed} <= :d, i.deadline < :d FROM site_issues i "
                     "WHERE i.deleted = 0 AND i.found_on <= :d", d=d)
    n_open = sum(1 for _i, c, _o in rows if not c)
    n_over = sum(1 for _i, c, o in rows if not c and o)
    assert f"共{len(rows)}个问题，其中整改中{n_open}个（逾期{n_over}个" in lay
    assert f"已销号{len(rows) - n_open}个" in lay
    every = {i for (i,) in q(county, "SELECT issue FROM site_issues")}
    assert {i for i in every if i in lay} == {i for i, _c, _o in rows}


@pytest.mark.parametrize("on", DAYS)
def test_proposals_by_status_as_at_a_day(county, tmp_path, on):
    lay = report(county, tmp_path, "proposals", on, "--year", str(on.year))
    status = {t: s for t, s in proposal_status_on(county, on).items()
              if q(county, "SELECT COALESCE(submitted_on, date(created_at)) FROM proposals WHERE title = :t",
                   t=t)[0][0][:4] == str(on.year)}
    names = {"10": "提交", "20": "立案", "21": "不立案", "30": "交办", "40": "办理", "50": "答复", "60": "办结"}
    part = lay[lay.index("二、按办理状态"):lay.index("三、按办理结果")]
    shown = {}
    for code, name in names.items():
        cells = table_line(part, name)
        if cells:
            shown[code] = int(cells[1])
    want = {}
    for s in status.values():
        want[s] = want.get(s, 0) + 1
    assert shown == want
    total = table_line(part, "合计")
    assert total[1] == str(len(status)) and total[2] == "100.0%"
    shares = [float(table_line(part, names[c])[2].rstrip("%")) for c in shown]
    assert round(sum(shares), 1) == 100.0
    assert f"共提交提案建议{len(status)}件" in squash(lay) and cn(on) in squash(lay)


@pytest.mark.parametrize("on", DAYS)
def test_cadres_as_at_a_day_text_equals_table(county, tmp_path, on):
    lay = report(county, tmp_path, "cadres", on)
    d = on.isoformat()
    serving = q(county, "SELECT count(*) FROM cadres WHERE deleted = 0 AND (appointed_on IS NULL OR appointed_on <= :d)"
                        " AND (left_on IS NULL OR left_on > :d)", d=d)[0][0]
    year_ago = on.replace(year=on.year - 1).isoformat()
    left = q(county, "SELECT count(*) FROM cadres WHERE deleted = 0 AND left_on BETWEEN :a AND :d", a=year_ago, d=d)[0][0]
    flat_lay = squash(lay)
    assert f"全县在岗统战干部{serving}人" in flat_lay and f"近一年离任{left}人" in flat_lay and cn(on) in flat_lay
    total = table_line(lay, "合计")
    assert total[-2:] == [str(serving), str(left)]  # the 合计 row (在岗合计, 近一年离任) says what the text says


def test_a_date_that_is_no_date_is_one_clear_sentence(county, tmp_path):
    r = subprocess.run([sys.executable, "-m", "ufdesk", "report", "roster", "--db", str(county), "--date", "2026-02-30",
                        "--out", str(tmp_path / "r.pdf")], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "日期“2026-02-30”不对" in r.stderr and "YYYY-MM-DD" in r.stderr
    assert not (tmp_path / "r.pdf").exists()
