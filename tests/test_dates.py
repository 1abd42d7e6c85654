"""One date parser (``ufdesk.domain.dates``) behind the form, the import and the command line:
the same text gives the same date through every door."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from ufdesk.domain.dates import DateError, date_result, parse_date

FORMS = [
    ("1975-03-15", dt.date(1975, 3, 15)), ("1975/3/15", dt.date(1975, 3, 15)), ("1975.3.15", dt.date(1975, 3, 15)),
    ("1975年3月15日", dt.date(1975, 3, 15)), ("19750315", dt.date(1975, 3, 15)),
    ("1975-03-15 00:00", dt.date(1975, 3, 15)), ("1975/3/15 0:00:00", dt.date(1975, 3, 15)),
    ("1975-03-15T08:30:00", dt.date(1975, 3, 15)), ("1975.03", dt.date(1975, 3, 1)), ("1975.3", dt.date(1975, 3, 1)),
    ("1975年3月", dt.date(1975, 3, 1)), ("197503", dt.date(1975, 3, 1)), ("1975年", dt.date(1975, 1, 1)),
    ("１９７５．０３", dt.date(1975, 3, 1)), ("1975 年 3 月 15 日", dt.date(1975, 3, 15)),
]


@pytest.mark.parametrize("text,expected", FORMS)
def test_every_usual_way_of_writing_a_date(text, expected):
    assert parse_date(text) == expected and date_result(text) == (expected, None)


@pytest.mark.parametrize("cell,expected", [
    (27468.0, dt.date(1975, 3, 15)), (27468.75, dt.date(1975, 3, 15)), (1975.03, dt.date(1975, 3, 1)),
    (1975.1, dt.date(1975, 1, 1)), (197503, dt.date(1975, 3, 1)), (19750315, dt.date(1975, 3, 15)),
    (1975, dt.date(1975, 1, 1)), (dt.datetime(1975, 3, 15, 9, 0), dt.date(1975, 3, 15)),
])
def test_numeric_and_real_date_cells(cell, expected):
    assert date_result(cell) == (expected, None)


def test_what_is_not_a_date_is_named():
    assert date_result("1975.13") == (None, "日期不存在")
    assert date_result("1975-02-30") == (None, "日期不存在")
    assert date_result("去年")[1].startswith("无法识别的日期")
    assert date_result("   ") == (None, None) and parse_date("") is None
    with pytest.raises(DateError, match="无法识别的日期"):
        parse_date("75.3")


def type_text(qtbot, widget, text: str) -> None:
    """ASCII typed key by key; Chinese and full-width characters as a pinyin IME commits them."""
    from itertools import groupby

    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    for ascii_run, chars in groupby(text, key=str.isascii):
        run = "".join(chars)
        if ascii_run:
            qtbot.keyClicks(widget, run)
        else:
            event = QInputMethodEvent()
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)


def test_the_form_reads_what_the_import_reads(qtbot):
    from ufdesk.domain import ledger
    from ufdesk.gui.editors import DateEdit

    field = next(f for f in ledger("representatives").fields if f.name == "birth_date")
    editor = DateEdit(field)
    qtbot.addWidget(editor)
    for text, expected in FORMS:
        editor.line.clear()
        type_text(qtbot, editor.line, text)
        assert editor.line.text() == text
        assert (editor.value(), editor.problem()) == (expected, None), text
    editor.line.clear()
    qtbot.keyClicks(editor.line, "1975.13")
    assert editor.value() is None and editor.problem() == "日期写法不对，请写成 1975-03-08"


def _ufdesk(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("UFDESK_")}
    env.update(HOME=str(tmp_path / "home"), UFDESK_HOME=str(tmp_path / "home"))
    return subprocess.run([sys.executable, "-m", "ufdesk", *map(str, args)], capture_output=True, text=True,
                          env=env, encoding="utf-8")


def test_the_import_and_the_command_line_read_the_same_dates(tmp_path):
    from ufdesk.services import Services
    from ufdesk.store import Store

    places = tmp_path / "places.csv"
    places.write_text("代码,名称\n510599100,城关镇\n", encoding="utf-8")
    db = tmp_path / "c.db"
    assert _ufdesk(tmp_path, "init", "--db", db, "--county", "测试县", "--county-code", "510599",
                   "--townships", places).returncode == 0
    roster = tmp_path / "花名册.csv"  # as Excel's CSV (逗号分隔) writes a datetime column: 1975/3/15 0:00
    rows = ["姓名,性别,出生年月,所属乡镇", "甲,男,1975/3/15 0:00,城关镇", "乙,女,1975-03-15 00:00,城关镇",
            "丙,男,1975年,城关镇", "丁,女,197503,城关镇"]
    roster.write_text("\n".join(rows) + "\n", encoding="gbk")
    r = _ufdesk(tmp_path, "import-xlsx", "--db", db, "--ledger", "representatives", roster)
    assert r.returncode == 0, r.stderr
    s = Store.open(db)
    try:
        svc = Services(s)
        born = {n: svc.find_by("representatives", name=n)[0]["birth_date"] for n in "甲乙丙丁"}
    finally:
        s.close()
    assert born == {"甲": dt.date(1975, 3, 15), "乙": dt.date(1975, 3, 15), "丙": dt.date(1975, 1, 1),
                    "丁": dt.date(1975, 3, 1)}

    r = _ufdesk(tmp_path, "audit", "--db", db, "--since", "2000年1月1日", "--until", "2099.12")
    assert r.returncode == 0 and "导入" in r.stdout, r.stderr
    r = _ufdesk(tmp_path, "audit", "--db", db, "--since", "2099年1月1日")
    assert r.returncode == 0 and r.stdout.strip() == ""
    r = _ufdesk(tmp_path, "audit", "--db", db, "--since", "上个月")
    assert r.returncode == 2 and "“上个月”：无法识别的日期" in r.stderr
