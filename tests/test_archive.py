"""The archive of issued (定稿) reports: a month issued reprints byte for byte after later
edits, ``--fresh`` shows them, issuing again makes 第2版 and says which figures changed,
``--edition`` gives an older one, ``report archive`` lists them; viewers cannot issue; the
editions stay out of packages and survive a purge, which says how many name purged people."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
import sys

import pytest
from asat_history import T1, build, day, month, q
from reports_helpers import flat

from ufdesk.services import Services
from ufdesk.store import Store

MONTH = month(1)  # last month


def ufdesk(*argv) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ufdesk", *map(str, argv)], capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def county(tmp_path):
    return build(tmp_path / "county.db")


def present(txt: str) -> int:
    return int(re.search(r"月末在册(\d+)人", txt).group(1))


def test_an_issued_month_reprints_as_issued_and_fresh_shows_later_edits(county, tmp_path):
    first, docx = tmp_path / "第1版.pdf", tmp_path / "第1版.docx"
    r = ufdesk("report", "monthly", "--db", county, "--month", MONTH, "--issue", "--out", first)
    assert r.returncode == 0, r.stderr
    assert "第1版" in r.stdout
    assert ufdesk("report", "monthly", "--db", county, "--month", MONTH, "--out", docx).returncode == 0
    before = present(flat(first))

    store = Store.open(county)  # late data: someone recognised last month, typed today
    Services(store, user="测试员").create("representatives", {"name": "迟报一", "township": T1,
                                                            "recognized_on": day(1, 6)})
    store.close()

    again, again_docx = tmp_path / "重印.pdf", tmp_path / "重印.docx"
    r = ufdesk("report", "monthly", "--db", county, "--month", MONTH, "--out", again)
    assert r.returncode == 0 and "第1版定稿" in r.stdout and "--fresh" in r.stdout
    assert again.read_bytes() == first.read_bytes()
    assert ufdesk("report", "monthly", "--db", county, "--month", MONTH, "--out", again_docx).returncode == 0
    assert again_docx.read_bytes() == docx.read_bytes()

    fresh = tmp_path / "今天.pdf"
    assert ufdesk("report", "monthly", "--db", county, "--month", MONTH, "--fresh", "--out", fresh).returncode == 0
    end = (dt.date.fromisoformat(MONTH + "-01").replace(day=28) + dt.timedelta(days=4)).replace(day=1) \
        - dt.timedelta(days=1)
    (n,), = q(county, "SELECT count(*) FROM representatives WHERE deleted = 0 AND name = '迟报一' "
                      "AND recognized_on <= :e", e=end.isoformat())
    assert n == 1 and present(flat(fresh)) == before + 1

    second = tmp_path / "第2版.pdf"
    r = ufdesk("report", "monthly", "--db", county, "--month", MONTH, "--issue", "--out", second)
    assert r.returncode == 0 and "第2版" in r.stdout
    assert f"月末在册 {before}→{before + 1}" in r.stdout and "新认定人数" in r.stdout
    assert present(flat(second)) == before + 1
    old = tmp_path / "旧版.pdf"
    assert ufdesk("report", "monthly", "--db", county, "--month", MONTH, "--edition", "1", "--out", old).returncode == 0
    assert old.read_bytes() == first.read_bytes()
    r = ufdesk("report", "monthly", "--db", county, "--month", MONTH, "--edition", "3", "--out", old)
    assert r.returncode == 1 and "没有第3版定稿" in r.stderr and "第1版、第2版" in r.stderr

    r = ufdesk("report", "archive", "--db", county, "--json")
    assert r.returncode == 0
    listed = json.loads(r.stdout)
    assert [(e["report"], e["month"], e["edition"]) for e in listed] == [("monthly", MONTH, 1), ("monthly", MONTH, 2)]
    assert set(listed[0]) == {"report", "month", "edition", "issued_at", "issued_by", "sha256", "formats"}
    assert listed[0]["sha256"] == hashlib.sha256(first.read_bytes()).hexdigest()
    assert listed[1]["formats"] == ["pdf", "docx"]
    assert q(county, "SELECT count(*) FROM audit WHERE action = 'report_issue'")[0][0] == 2
    r = ufdesk("report", "archive", "--db", county)
    assert r.returncode == 0 and f"{MONTH}  第2版" in r.stdout


def test_a_viewer_cannot_issue(county):
    from ufdesk.domain.errors import PermissionDenied
    from ufdesk.reports import archive

    store = Store.open(county)
    try:
        with pytest.raises(PermissionDenied, match="新增、修改或删除记录"):
            archive.issue(Services(store, user="查阅员", role="viewer"), "monthly", {"month": MONTH})
        assert archive.editions(store) == []
    finally:
        store.close()


def test_issued_editions_stay_home_and_survive_a_purge(tmp_path):
    from package_helpers import T1 as TOWN
    from package_helpers import make, send

    from ufdesk.reports import archive

    county, town = make(tmp_path, "county"), make(tmp_path, "town", TOWN)
    gone = town.create("representatives", {"name": "早年退出", "recognized_on": dt.date(2012, 5, 1), "status": "2",
                                           "left_on": dt.date(2015, 3, 10)}).uuid
    made = archive.issue(town, "monthly", {"month": "2015-03"})
    assert made["edition"] == 1 and gone in archive.editions(town.store)[0]["named"]
    send(town, county)
    assert archive.editions(county.store) == []  # the township's summary is not in its package

    db = town.store.path
    town.store.close()
    r = ufdesk("purge", "--db", db, "--older-than", "5")
    assert r.returncode == 0, r.stderr
    assert "已定稿的报表中有 1 版提到这些人员" in r.stdout and "不清除" in r.stdout
    store = Store.open(db)
    try:
        kept = archive.content(store, "monthly", "2015-03", "pdf")
        assert kept is not None and hashlib.sha256(kept[0]).hexdigest() == made["sha256"]
        assert Services(store).get("representatives", gone)["deleted"]
    finally:
        store.close()
