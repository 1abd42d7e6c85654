"""Print habits: the roster's columns, masked numbers unless asked for (and allowed), the
内部资料 mark, 县直 named once, chambers by township then 拼音."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict

import pdfplumber
import pytest
from reports_helpers import sql, text


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from ufdesk.services.demo import build_demo

    path = tmp_path_factory.mktemp("habits") / "demo.db"
    build_demo(path, size=200).close()
    return path


def run(db, out, *args):
    return subprocess.run([sys.executable, "-m", "ufdesk", "report", "roster", "--db", str(db), "--out", str(out), *args],
                          capture_output=True, text=True)


def rows_of(page):
    by_top = defaultdict(list)
    for c in page.chars:
        by_top[round(c["top"])].append(c)
    lines = ["".join(c["text"] for c in sorted(cs, key=lambda c: c["x0"])) for _t, cs in sorted(by_top.items())]
    return lines


def test_default_roster_holds_25_people_a_page_without_wrapped_rows(db, tmp_path):
    out = tmp_path / "r.pdf"
    proc = run(db, out)
    assert proc.returncode == 0, proc.stderr
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) >= 3
        for page in pdf.pages[1:-1]:
            lines = rows_of(page)
            body = [ln for ln in lines if re.match(r"^\d+\S", ln)]  # a row starts with its 序号
            assert len(body) >= 25
            # every line between the header and the page number is a whole row: nothing wrapped
            start = next(i for i, ln in enumerate(lines) if ln.startswith("序号"))
            inner = [ln for ln in lines[start + 2:-1]]  # 出生/年月 makes the header two lines
            assert inner == body, [ln for ln in inner if ln not in body][:3]
    laid = text(out)
    assert "身份证号" not in laid and "手机" not in laid  # not on paper unless asked for


def test_numbers_masked_even_without_users_unless_full_ids(db, tmp_path):
    out = tmp_path / "ids.pdf"
    proc = run(db, out, "--columns", "姓名,性别,身份证号,手机", "--mark", "内部资料")
    assert proc.returncode == 0, proc.stderr
    laid = text(out)
    assert re.search(r"\d{4}\*{10}\d{3}[\dX]", laid) and re.search(r"1\d{2}\*{4}\d{4}", laid)
    assert not re.search(r"\d{17}[\dX]", laid)
    assert "已隐去部分数字" in laid
    pages = laid.split("\f")[:-1]
    assert pages and all("内部资料 注意保存" in p for p in pages)
    before = sql(db, "select count(*) from audit where action = 'report_full_ids'")[0][0]
    full = tmp_path / "full.pdf"
    proc = run(db, full, "--columns", "姓名,身份证号", "--full-ids")
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"\d{17}[\dX]", text(full))
    assert sql(db, "select count(*) from audit where action = 'report_full_ids'")[0][0] == before + 1


def test_unknown_column_is_one_clear_sentence(db, tmp_path):
    out = tmp_path / "bad.pdf"
    proc = run(db, out, "--columns", "姓名,血型")
    assert proc.returncode == 1
    assert "花名册没有“血型”这一列" in proc.stderr and "身份证号" in proc.stderr
    assert not out.exists()


def test_chambers_by_township_then_pinyin_and_one_name_for_the_county(services):
    from ufdesk.reports import gather

    for name, tw in [("张家湾商会", "510599101"), ("安居商会", "510599101"), ("白鹤商会", "510599100"),
                     ("县个体劳动者协会", None), ("北城餐饮协会", "510599102")]:
        services.create("chambers", {"name": name, "kind": "03", "township": tw})
    d = gather(services, "chambers", {})
    got = [(r["township"], r["name"]) for r in d["rows"]]
    assert got == [("县直", "县个体劳动者协会"), ("城关镇", "白鹤商会"), ("河东乡", "安居商会"),
                   ("河东乡", "张家湾商会"), ("北城街道", "北城餐饮协会")]
    assert services.store.township_name(None) == "县直"
