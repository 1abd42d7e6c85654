"""《重点任务推进表》 and 乡镇统战工作考核评价表: made by the command line as PDF and Word, with the
figures of the ledgers (late rows in 黑体, the counts behind each score)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zipfile

import pytest
from reports_helpers import fonts, text
from test_evaluation import T100, build

from ufdesk.reports import task_board
from ufdesk.services import tasks as T

D = dt.date


def run(*args):
    return subprocess.run([sys.executable, "-m", "ufdesk", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture
def county(services):
    build(services)
    c = services.create
    parent = c("tasks", {"seq": "1", "content": "推进基层统战阵地建设", "deadline": D(2026, 12, 31), "category": "09",
                         "leader": "王立新", "unit": "01"}).uuid
    c("tasks", {"seq": "(1)", "content": "城关街道建成统战之家", "deadline": D(2026, 3, 31), "category": "09",
                "parent_task": parent, "unit": T100, "township": T100},
      subs={"task_progress": [{"month": D(2026, 3, 1), "progress": "选址完成，正在装修"}]})
    return services


def test_task_board_pdf_and_word_show_the_month_and_mark_late_rows(county, tmp_path):
    db = str(county.store.path)
    pdf, docx = tmp_path / "推进表.pdf", tmp_path / "推进表.docx"
    for out in (pdf, docx):
        res = run("report", "tasks", "--db", db, "--year", "2026", "--month", "2026-04", "--out", str(out))
        assert res.returncode == 0, res.stderr
    lay = text(pdf)
    assert "2026年重点任务推进表" in lay and "截至2026年4月底" in lay
    assert "基层统战" in lay and "城关街道建成统战之家" in lay and "（本月未填报）" in lay
    assert all(emb == "yes" for _n, _t, emb in fonts(pdf))
    d = task_board.tasks_data(county, 2026, "2026-04")
    end = D(2026, 4, 30)
    late = {r["uuid"] for r in T.load(county.store, 2026) if T.is_late(r, end)}
    rows = [r for _cat, rs in d["groups"] for r in rs]
    assert sum(r["late"] for r in rows) == len(late) == d["figures"]["late_count"] > 0
    for b in task_board.tasks_blocks(d):
        if hasattr(b, "marks"):
            assert b.marks == {i for i, r in enumerate(b.rows) if r[6] == "滞后"}
    # the sub-task sits under its parent, indented, in the 推进表's order
    group = dict(d["groups"])["基层统战"]
    assert [(r["seq"], r["depth"]) for r in group] == [("1", 0), ("(1)", 1)]
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    assert "城关街道建成统战之家" in xml and "滞后" in xml


def test_evaluation_report_prints_the_counts_behind_each_figure(county, tmp_path):
    db = str(county.store.path)
    pdf = tmp_path / "考核.pdf"
    res = run("report", "evaluation", "--db", db, "--year", "2026", "--quarter", "2", "--out", str(pdf))
    assert res.returncode == 0, res.stderr
    flat = "".join(text(pdf).split())
    assert "乡镇统战工作考核评价表" in flat and "2026年第二季度" in flat
    assert "1/2村" in flat  # 城关镇: one of its two villages has a 联络员
    assert "1/3月" in flat and "1/3次" in flat
    res = run("report", "evaluation", "--db", db, "--year", "2026", "--quarter", "5", "--out", str(pdf))
    assert res.returncode == 1 and "季度" in res.stderr


def test_monthly_summary_has_the_tasks_as_at_the_months_end(county, tmp_path):
    from test_tasks import month_sql

    pdf = tmp_path / "月度.pdf"
    res = run("report", "monthly", "--db", str(county.store.path), "--month", "2026-04", "--out", str(pdf))
    assert res.returncode == 0, res.stderr
    flat = "".join(text(pdf).split())
    done, late, in_progress = month_sql(county.store, D(2026, 4, 30))
    assert "重点任务推进情况" in flat
    assert f"已完成{done}项，推进中{in_progress}项，滞后{late}项" in flat
    assert "城关街道建成统战之家" in flat  # due 31 March, not done: late, with its 责任单位
