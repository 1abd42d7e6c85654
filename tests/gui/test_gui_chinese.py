"""Qt's own texts in Chinese: the standard buttons, the context menu of a text box, the file,
print and colour dialogs — qtbase_zh_CN loaded at start, not button texts patched by hand."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from gui_sweep import latin_words, visible_texts
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QMessageBox

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(qapp):
    from ufdesk.gui.main import apply_look

    apply_look(qapp)
    return qapp


def test_qt_translation_is_loaded_from_where_the_bundle_keeps_it(app):
    from ufdesk.gui.main import install_qt_translations, qt_translation_dirs

    assert any((d / "qtbase_zh_CN.qm").is_file() for d in qt_translation_dirs())
    assert install_qt_translations(app) == ["qtbase_zh_CN"]


def test_a_question_has_chinese_yes_and_no(app, qtbot):
    seen = {}

    def answer():
        box = QApplication.activeModalWidget()
        seen["buttons"] = sorted(b.text() for b in box.buttons())
        box.button(QMessageBox.No).click()

    QTimer.singleShot(0, answer)
    assert QMessageBox.question(None, "删除", "确定删除吗？") == QMessageBox.No
    assert seen["buttons"] == ["否(&N)", "是(&Y)"]


def test_standard_buttons_are_chinese_without_hand_patches(app):
    box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel | QDialogButtonBox.Close
                           | QDialogButtonBox.Save | QDialogButtonBox.Discard)
    assert {b.text() for b in box.buttons()} == {"确定", "取消", "关闭", "保存", "丢弃"}
    patched = [f"{p.name}:{n.lineno}" for p in (ROOT / "ufdesk" / "gui").glob("*.py")
               for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
               if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "setText" and n.args
               and isinstance(n.args[0], ast.Constant) and n.args[0].value in ("确定", "取消", "关闭", "保存", "是", "否")]
    assert patched == []


def test_the_context_menu_of_a_text_box_is_chinese(app):
    box = QLineEdit()
    menu = box.createStandardContextMenu()
    texts = [a.text() for a in menu.actions() if a.text()]
    assert any(t.startswith("撤消") for t in texts) and any(t.startswith("粘贴") for t in texts)
    assert [w for t in texts for w in latin_words(t)] == []


def _no_latin(dialog):
    dialog.show()
    QApplication.processEvents()
    words = [f"{where}：{text} → {w}" for where, text in visible_texts(dialog) for w in latin_words(text)]
    dialog.hide()
    return words


def test_file_dialog_is_chinese(app, qtbot, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    d = QFileDialog(None, "打开数据库", str(tmp_path), "数据库 (*.db);;所有文件 (*)")
    d.setOption(QFileDialog.DontUseNativeDialog)
    qtbot.addWidget(d)
    assert _no_latin(d) == []
    d.setAcceptMode(QFileDialog.AcceptSave)
    assert _no_latin(d) == []


def test_print_and_colour_dialogs_are_chinese(app, qtbot):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QColorDialog

    printer = QPrinter()
    d = QPrintDialog(printer)
    qtbot.addWidget(d)
    assert _no_latin(d) == []
    c = QColorDialog()
    c.setOption(QColorDialog.DontUseNativeDialog)
    qtbot.addWidget(c)
    assert _no_latin(c) == []




def test_the_audit_log_names_every_action_in_chinese_and_shows_a_whole_change_on_hover(qtbot, ctx):
    from test_audit_actions import written_actions

    from ufdesk.gui.audit_dialog import AuditDialog
    from ufdesk.services import audit
    from ufdesk.services.auditlog import action_label

    long_before, long_after = "原单位：" + "县工商业联合会" * 6, "新单位：" + "县政协经济委员会" * 6
    with ctx.services.store.write("张主任") as (conn, wctx):
        audit.write(conn, user="张主任", installation=wctx.installation, action="resolve", ledger="representatives",
                    summary="冲突：保留本机的值", details=None, at=wctx.now)
        audit.write(conn, user="张主任", installation=wctx.installation, action="update", ledger="representatives",
                    summary="修改代表人士：王伟", at=wctx.now,
                    details=json.dumps({"employer": [long_before, long_after], "title": ["科员", "副主任"]}))
    dialog = AuditDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    offered = {dialog.action.itemText(i) for i in range(dialog.action.count())}
    codes, _ = written_actions()
    assert {action_label(c) for c in codes} <= offered
    dialog.action.setCurrentText("处理冲突")
    qtbot.mouseClick(dialog.search, Qt.LeftButton)
    assert [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())] == ["处理冲突"]
    dialog.action.setCurrentText("修改")
    qtbot.mouseClick(dialog.search, Qt.LeftButton)
    row = next(r for r in range(dialog.table.rowCount()) if "王伟" in dialog.table.item(r, 5).text())
    cell = dialog.table.item(row, 6)
    assert dialog.table.visualItemRect(cell).width() < dialog.table.fontMetrics().horizontalAdvance(cell.text())
    tip = cell.toolTip()
    assert long_before in tip and long_after in tip and "副主任" in tip
