"""A clerk at the 报表 dialog: picks a report and its parameters, previews the pages, saves the
PDF (and the monthly summary as Word), prints, and meets a clear message for a missing person."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from reports_helpers import flat, pages  # noqa: E402

TIMEOUT = 30000


@pytest.fixture(scope="module")
def report_db(tmp_path_factory):
    from ufdesk.services.demo import build_demo

    path = tmp_path_factory.mktemp("report_dialog") / "demo.db"
    build_demo(path, size=300).close()
    return path


@pytest.fixture
def ctx(report_db, qapp):
    """The demo county opened as the GUI opens it, with its own worker thread."""
    from ufdesk.app import open_services
    from ufdesk.gui.context import AppContext
    from ufdesk.gui.tasks import Worker

    services = open_services(report_db)
    worker = Worker()
    yield AppContext(services, worker)
    worker.shutdown()
    services.store.close()


@pytest.fixture
def dialog(qtbot, ctx):
    from ufdesk.gui.report_dialog import ReportDialog

    d = ReportDialog(ctx)
    qtbot.addWidget(d)
    d.show()
    yield d
    qtbot.waitUntil(lambda: ctx.worker.busy == 0, timeout=TIMEOUT)


def choose(combo, data):
    combo.setCurrentIndex(combo.findData(data))


def preview(qtbot, dialog):
    qtbot.mouseClick(dialog.btn_build, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=TIMEOUT)


def test_monthly_preview_shows_rendered_pages(qtbot, dialog, tmp_path):
    choose(dialog.template, "monthly")
    assert dialog.form.isRowVisible(dialog.month) and dialog.form.isRowVisible(dialog.summary)
    assert not dialog.form.isRowVisible(dialog.kind)
    dialog.summary.setPlainText("本月工作平稳有序。")
    preview(qtbot, dialog)
    labels = dialog.page_labels()
    assert len(labels) == dialog.page_count >= 2
    assert all(not lbl.pixmap().isNull() and lbl.pixmap().width() > 500 for lbl in labels)
    assert f"共{dialog.page_count}页" in dialog.status.text()
    assert dialog.btn_save.isEnabled() and dialog.btn_print.isEnabled()
    dialog.grab().save(str(tmp_path / "report_dialog.png"))
    out = tmp_path / "汇总.pdf"
    dialog.save_to(str(out))
    assert "本月工作平稳有序。" in flat(out)


def test_roster_for_one_township_saved(qtbot, dialog, ctx, tmp_path):
    choose(dialog.template, "roster")
    assert dialog.form.isRowVisible(dialog.kind) and not dialog.form.isRowVisible(dialog.month)
    code, name = ctx.services.store.townships()[2]
    choose(dialog.township, code)
    preview(qtbot, dialog)
    out = tmp_path / "roster.pdf"
    dialog.save_to(str(out))
    txt = flat(out)
    assert f"（{name}，按姓氏笔画排列" in txt
    n = sum(1 for r in ctx.services.find_by("representatives", township=code) if r["status"] == "1")
    assert f"共{n}人" in txt


def test_structure_as_at_a_day_typed_in_the_date_box(qtbot, dialog, report_db, tmp_path):
    """The clerk types a past day into 截至日期: the structure analysis counts the register of
    that day (independent SQL by the rule), and the box is not shown for the monthly summary."""
    import datetime as dt

    from reports_helpers import sql

    choose(dialog.template, "monthly")
    assert not dialog.form.isRowVisible(dialog.date)
    choose(dialog.template, "structure")
    assert dialog.form.isRowVisible(dialog.date)
    from PySide6.QtWidgets import QDateTimeEdit

    from ufdesk.services.stats import add_months

    back = min(7, dt.date.today().month - 1)  # months back within this year (January: today itself)
    on = add_months(dt.date.today(), -back)
    dialog.date.setFocus()
    dialog.date.setCurrentSection(QDateTimeEdit.MonthSection)
    for _ in range(back):  # months back with the arrow key
        qtbot.keyClick(dialog.date, Qt.Key_Down)
    assert dialog.date.date().toPython() == on
    preview(qtbot, dialog)
    out = tmp_path / "structure.pdf"
    dialog.save_to(str(out))
    (n,), = sql(report_db, "SELECT count(*) FROM representatives WHERE deleted = 0 "
                           "AND COALESCE(recognized_on, date(created_at)) <= ? "
                           "AND (left_on > ? OR (left_on IS NULL AND status NOT IN ('2', '3')))",
                on.isoformat(), on.isoformat())
    txt = flat(out)
    assert f"截至{on.year}年{on.month}月{on.day}日" in txt and f"在册党外代表人士共{n}人" in txt


def test_issue_twice_shows_the_figures_that_changed(qtbot, dialog, ctx, tmp_path):
    """定稿 stores 第1版; a person recognised last month is typed late; 定稿 again makes 第2版 and
    the dialog says which figures differ. A viewer's dialog has the button disabled."""
    import datetime as dt

    choose(dialog.template, "monthly")
    assert dialog.btn_issue.isVisible() and dialog.btn_issue.isEnabled()
    month = dialog.month.currentData()
    qtbot.mouseClick(dialog.btn_issue, Qt.LeftButton)
    qtbot.waitUntil(lambda: "第1版" in dialog.issue_info.text() or "未能" in dialog.issue_info.text(), timeout=TIMEOUT)
    assert dialog.issue_info.text().startswith("已定稿")
    y, m = (int(x) for x in month.split("-"))
    ctx.services.create("representatives", {"name": "迟报二", "recognized_on": dt.date(y, m, 3)})
    qtbot.mouseClick(dialog.btn_issue, Qt.LeftButton)
    qtbot.waitUntil(lambda: "第2版" in dialog.issue_info.text(), timeout=TIMEOUT)
    info = dialog.issue_info.text()
    assert "与第1版不同的数字" in info and "月末在册" in info and "新认定人数" in info
    dialog.grab().save(str(tmp_path / "issued.png"))
    from ufdesk.reports import archive

    assert [e["edition"] for e in archive.editions(ctx.services.store, "monthly", month)] == [1, 2]
    choose(dialog.template, "roster")
    assert not dialog.btn_issue.isVisible()


def test_an_issued_month_previews_saves_and_prints_as_issued_until_fresh_is_ticked(qtbot, dialog, ctx, tmp_path):
    """Late data is normal: once a month is issued (定稿), the dialog shows, saves (PDF and Word)
    and prints that edition byte for byte, as ``ufdesk report monthly`` does; 按今天的数据重新生成
    makes it from today's data."""
    import datetime as dt

    from ufdesk.reports import archive

    choose(dialog.template, "monthly")
    dialog.month.setCurrentIndex(3)  # a month no other test issues
    month = dialog.month.currentData()
    assert dialog.form.isRowVisible(dialog.fresh) and not dialog.fresh.isChecked()
    qtbot.mouseClick(dialog.btn_issue, Qt.LeftButton)
    qtbot.waitUntil(lambda: "第1版" in dialog.issue_info.text() or "未能" in dialog.issue_info.text(), timeout=TIMEOUT)
    issued_pdf, _row = archive.content(ctx.services.store, "monthly", month, "pdf")
    issued_docx, _row = archive.content(ctx.services.store, "monthly", month, "docx")
    y, m = (int(x) for x in month.split("-"))
    ctx.services.create("representatives", {"name": "迟到的认定", "recognized_on": dt.date(y, m, 9)})

    preview(qtbot, dialog)
    assert dialog.pdf == issued_pdf
    assert f"{y}年{m}月汇总第1版定稿" in dialog.status.text() and "按今天的数据重新生成" in dialog.status.text()
    dialog.save_to(str(tmp_path / "定稿.pdf"))
    assert (tmp_path / "定稿.pdf").read_bytes() == issued_pdf
    dialog.save_to(str(tmp_path / "定稿.docx"), docx=True)
    qtbot.waitUntil((tmp_path / "定稿.docx").exists, timeout=TIMEOUT)
    assert (tmp_path / "定稿.docx").read_bytes() == issued_docx
    assert "迟到的认定" not in flat(tmp_path / "定稿.pdf")
    dialog.grab().save(str(tmp_path / "issued_preview.png"))

    dialog.fresh.click()
    preview(qtbot, dialog)
    assert dialog.pdf != issued_pdf and "定稿" not in dialog.status.text()
    dialog.save_to(str(tmp_path / "今天.pdf"))
    assert "迟到的认定" in flat(tmp_path / "今天.pdf")


def test_a_viewer_cannot_issue_from_the_dialog(qtbot, ctx):
    from ufdesk.gui.context import AppContext
    from ufdesk.gui.report_dialog import ReportDialog
    from ufdesk.services import Services

    viewer = AppContext(Services(ctx.services.store, user="查阅员", role="viewer"), ctx.worker)
    d = ReportDialog(viewer)
    qtbot.addWidget(d)
    d.show()
    choose(d.template, "monthly")
    assert d.btn_issue.isVisible() and not d.btn_issue.isEnabled()
    assert "只有录入员或管理员" in d.btn_issue.toolTip()
    qtbot.waitUntil(lambda: ctx.worker.busy == 0, timeout=TIMEOUT)


def test_monthly_saved_as_word(qtbot, dialog, tmp_path):
    from docx import Document

    choose(dialog.template, "monthly")
    preview(qtbot, dialog)
    out = tmp_path / "汇总.docx"
    dialog.save_to(str(out), docx=True)
    qtbot.waitUntil(out.exists, timeout=TIMEOUT)
    assert "统战工作月度汇总" in [p.text for p in Document(out).paragraphs]


def test_print_sends_every_page(qtbot, dialog, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    choose(dialog.template, "chambers")
    preview(qtbot, dialog)
    printer = QPrinter(QPrinter.ScreenResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    dialog.prepare_printer(printer)
    done = []
    dialog.print_to(printer, on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=TIMEOUT)
    assert done == [dialog.page_count]
    assert pages(target) == dialog.page_count
    size = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True).stdout
    assert "landscape" in size.lower() or "842" in size.split("Page size:")[1].split("x")[0]


def test_missing_person_is_told_in_chinese(qtbot, dialog, monkeypatch):
    import ufdesk.gui.report_dialog as R

    shown = []
    monkeypatch.setattr(R, "show_error", lambda parent, exc, title="": shown.append(str(exc)))
    choose(dialog.template, "person")
    assert dialog.form.isRowVisible(dialog.person) and not dialog.form.isRowVisible(dialog.township)
    dialog.person.setText("查无此人")
    qtbot.mouseClick(dialog.btn_build, Qt.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=TIMEOUT)
    assert "找不到代表人士“查无此人”" in shown[0]
    assert dialog.pdf is None and not dialog.btn_save.isEnabled()


def test_person_chosen_from_the_completer(qtbot, dialog, ctx, tmp_path):
    choose(dialog.template, "person")
    qtbot.waitUntil(lambda: bool(dialog.people), timeout=TIMEOUT)
    label, uuid = next(iter(dialog.people.items()))
    rec = ctx.services.get("representatives", uuid)
    assert label.startswith(rec["name"] + "（")
    dialog.person.setText(label)
    preview(qtbot, dialog)
    assert dialog.page_count == 1
    out = tmp_path / "p.pdf"
    dialog.save_to(str(out))
    assert rec["name"] in flat(out)


def test_roster_columns_chosen_in_the_dialog(qtbot, dialog, tmp_path):
    choose(dialog.template, "roster")
    assert dialog.form.isRowVisible(dialog.columns)
    assert "身份证号" not in dialog.columns.text()  # not on paper by default
    dialog.columns.setText("姓名，性别，手机")  # Chinese comes through the IME, not key events
    preview(qtbot, dialog)
    out = tmp_path / "roster_cols.pdf"
    dialog.save_to(str(out))
    txt = flat(out)
    assert "手机" in txt and "政治面貌" not in txt and "****" in txt  # masked: not asked for in full
