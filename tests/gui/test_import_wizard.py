"""The 导入 wizard and the 导出 dialog, driven as a clerk would (offscreen)."""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QMessageBox, QWizard

from ufdesk.services import Query

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def ctx(store):
    """A three-township county with a few representatives, and its GUI context."""
    from ufdesk.gui.context import AppContext
    from ufdesk.gui.tasks import Worker
    from ufdesk.services import Services

    services = Services(store, user="测试员")
    for i, (code, _) in enumerate(store.townships()):
        services.create("representatives", {"name": f"代表{i}", "township": code, "party": "05"})
    worker = Worker()
    yield AppContext(services, worker)
    worker.shutdown()


@pytest.fixture
def quiet_boxes(monkeypatch):
    """Message boxes are recorded instead of waiting for a click."""
    shown = []
    for kind in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(lambda parent, title, text, *a, _k=kind: shown.append(
            (_k, title, text))))
    return shown


def _roster(path, townships, rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["测试县代表人士名单"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "姓名", "性别", "出生年月", "乡镇(街道)", "党派", "简历"])
    for i, r in enumerate(rows, 1):
        ws.append([i, *r])
    wb.save(path)
    return path


def test_wizard_file_mapping_check_import(qtbot, ctx, tmp_path, quiet_boxes, monkeypatch):
    from ufdesk.gui.import_wizard import ImportWizard

    tw = ctx.services.store.townships()[0][1]
    short = tw.removesuffix("镇").removesuffix("乡").removesuffix("街道")
    path = _roster(tmp_path / "名单.xlsx", ctx.services.store.townships(), [
        ["向　阳", "男", "1971.05", short, "民盟", "2001年至今任县医院医生"],
        ["柳青", "女", "1983年9月", tw, "民主党", ""],
        ["白云", "女", "198311", tw, "无党派人士", ""],
    ])
    before = ctx.services.count(Query("representatives"))
    wiz = ImportWizard(ctx, "representatives")
    qtbot.addWidget(wiz)
    wiz.show()
    import ufdesk.gui.import_wizard as W

    template = tmp_path / "模板.xlsx"
    monkeypatch.setattr(W.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(template), "")))
    wiz.file_page._save_template()
    assert template.exists() and "已保存模板" in wiz.file_page.note.text()
    wiz.file_page.path_edit.setText(str(path))
    assert wiz.file_page.sheet_combo.count() == 2  # automatic + the one sheet
    wiz.next()
    assert wiz.currentPage() is wiz.mapping_page
    labels = [c.currentText() for c in wiz.mapping_page.combos]
    assert labels[:6] == ["（不导入）", "姓名", "性别", "出生年月", "所属乡镇", "政治面貌"]
    assert labels[6] == "简历"
    wiz.mapping_page.combos[6].setCurrentIndex(wiz.mapping_page.combos[6].findData("notes"))  # 简历 → 备注
    wiz.next()
    page = wiz.check_page
    qtbot.waitUntil(lambda: page.report is not None, timeout=20000)
    grid = [[page.table.item(r, c).text() for c in range(4)] for r in range(page.table.rowCount())]
    assert grid == [["第4行", "党派", "民主党", "不是政治面貌中的值"]]  # as the clerk typed it: their own file
    assert not page.isComplete() and not wiz.button(QWizard.FinishButton).isEnabled()
    page.skip.setChecked(True)
    assert page.isComplete()
    rejects = tmp_path / "退回.xlsx"
    monkeypatch.setattr(W.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(rejects), "")))
    wiz.accept()
    qtbot.waitUntil(lambda: wiz.result_report is not None, timeout=20000)
    rep = wiz.result_report
    assert rep.written and (rep.new, rep.rejected) == (2, 1)
    assert rejects.exists()
    assert ctx.services.count(Query("representatives")) == before + 2
    found = ctx.services.find_by("representatives", name="向阳")
    assert len(found) == 1 and found[0]["notes"] == "2001年至今任县医院医生" and found[0]["party"] == "05"
    assert found[0]["township"] == ctx.services.store.townships()[0][0]
    assert quiet_boxes[-1][1] == "导入完成"
    # the mapping chosen is remembered for the next file with these headers
    again = ImportWizard(ctx, "representatives")
    qtbot.addWidget(again)
    again.show()
    again.file_page.path_edit.setText(str(path))
    again.next()
    assert again.mapping_page.combos[6].currentData() == "notes"
    assert "上次" in again.mapping_page.info.text()


def test_export_dialog_offers_full_ids_only_with_the_right(qtbot, ctx, tmp_path, quiet_boxes):
    from openpyxl import load_workbook

    from ufdesk.gui.export_dialog import ExportDialog
    from ufdesk.services import Services

    q = Query("representatives", township=ctx.services.store.townships()[1][0])
    dlg = ExportDialog(ctx, "representatives", q)
    qtbot.addWidget(dlg)
    assert dlg.view_btn.isChecked() and dlg.full_ids.isEnabled()
    out = tmp_path / "view.xlsx"
    dlg.path_edit.setText(str(out))
    dlg.start()
    qtbot.waitUntil(lambda: dlg.count is not None, timeout=20000)
    assert dlg.count == ctx.services.count(q)
    rows = list(load_workbook(out)["代表人士"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == dlg.count
    ctx.services = Services(ctx.services.store, user="编辑员", role="editor")
    limited = ExportDialog(ctx, "representatives", None)
    qtbot.addWidget(limited)
    assert not limited.full_ids.isEnabled() and not limited.view_btn.isEnabled() and limited.ledger_btn.isChecked()
