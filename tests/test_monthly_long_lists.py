"""The monthly summary names the month's new and departed people while the list fits on about a
page; a longer list (a big county's month) is counted by township, with the 合计 its heading
gives, and the page says where the names are."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from reports_helpers import flat, sql, table_line, text

from ufdesk.reports import monthly as M
from ufdesk.services import Services
from ufdesk.store import Store

T1, T2 = "510599100", "510599101"


def county(path, added: int, left: int):
    store = Store.create(path, county_code="510599", county_name="测试县",
                         townships=[(T1, "城关镇"), (T2, "河东乡")])
    svc = Services(store, user="测试员")
    for i in range(added):  # every third person a 县直 one, the rest split between the townships
        tw = None if i % 3 == 0 else (T1 if i % 3 == 1 else T2)
        svc.create("representatives", {"name": f"新人{i:03d}", "gender": "1", "township": tw,
                                       "recognized_on": dt.date(2026, 5, 1 + i % 28)})
    for i in range(left):
        svc.create("representatives", {"name": f"离开{i:02d}", "gender": "2", "township": T1, "status": "2",
                                       "recognized_on": dt.date(2020, 1, 1), "left_on": dt.date(2026, 5, 10)})
    store.close()


def make_pdf(db, out):
    res = subprocess.run([sys.executable, "-m", "ufdesk", "report", "monthly", "--db", str(db), "--month", "2026-05",
                          "--fresh", "--out", str(out)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_a_long_month_is_counted_by_township_and_adds_up(tmp_path):
    db = tmp_path / "big.db"
    n = M.NAME_LIMIT + 10
    county(db, n, 3)
    out = tmp_path / "汇总.pdf"
    make_pdf(db, out)
    page = flat(out)
    assert f"（一）新认定（{n}人）" in page and f"人数超过{M.NAME_LIMIT}人，本汇总按乡镇（街道）列出人数" in page
    assert "新人000" not in page  # no name list ...
    assert "离开00" in page  # ... while the 3 who left are still named
    whole = text(out)
    lines = whole[whole.index("（一）新认定"):whole.index("（二）退出")]  # the section's own table
    got = {name: int(table_line(lines, name)[1]) for name in ("城关镇", "河东乡", "县直", "合计")}
    want = dict(sql(db, "select coalesce(t.name, '县直'), count(*) from representatives r left join townships t "
                        "on t.code = r.township where r.deleted = 0 and r.recognized_on between '2026-05-01' and "
                        "'2026-05-31' group by 1"))
    assert got == {**want, "合计": n} and sum(want.values()) == n


def test_a_short_month_names_everyone(tmp_path):
    db = tmp_path / "small.db"
    county(db, 4, 1)
    out = tmp_path / "汇总.pdf"
    make_pdf(db, out)
    page = flat(out)
    assert all(f"新人{i:03d}" in page for i in range(4)) and "离开00" in page
    assert "列出人数" not in page
