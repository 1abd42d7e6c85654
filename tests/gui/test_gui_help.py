"""帮助 → 使用说明 (F1): the built-in manual opens offline, in Chinese, with its sections; a
dialog's 帮助 button opens that dialog's section."""

from __future__ import annotations

from gui_sweep import latin_words
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from ufdesk.gui import help as H

TIMEOUT = 15000


def shown_manual():
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, H.HelpDialog) and w.isVisible()]
    return found[-1] if found else None


def test_f1_opens_the_manual_with_every_section_in_chinese(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key_F1)
    qtbot.waitUntil(lambda: shown_manual() is not None, timeout=TIMEOUT)
    manual = shown_manual()
    text = manual.browser.toPlainText()
    for heading in ("首次使用", "日常录入", "导入花名册", "报表", "数据交换与开通", "备份与恢复"):
        assert heading in text
    assert latin_words(text) == []
    assert "使用说明" in [a.text() for a in window.menuBar().actions()[-1].menu().actions()]
    manual.close()


def test_a_dialogs_help_button_opens_its_section(qtbot, window):
    from ufdesk.gui.backup_dialog import BackupDialog

    dialog = BackupDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    box = next(b for b in dialog.findChildren(QDialogButtonBox) if b.button(QDialogButtonBox.Help))
    button = box.button(QDialogButtonBox.Help)
    assert button.text() == "帮助"
    qtbot.mouseClick(button, Qt.LeftButton)
    qtbot.waitUntil(lambda: shown_manual() is not None, timeout=TIMEOUT)
    browser = shown_manual().browser
    doc = browser.document()
    block = next(b for b in (doc.findBlockByNumber(i) for i in range(doc.blockCount())) if b.text() == "备份与恢复")
    y = doc.documentLayout().blockBoundingRect(block).top() - browser.verticalScrollBar().value()
    assert 0 <= y < browser.viewport().height() - 40  # its heading in view (the last sections end the page)
    first = browser.document().findBlockByLineNumber(0).text()
    assert browser.verticalScrollBar().value() > 0 and "使用说明" in first
    shown_manual().close()
