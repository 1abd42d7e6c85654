"""Saves offered in 文档/统战台账, and after every export and report 打开文件 / 打开所在文件夹."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

TIMEOUT = 60000


def saved_box(qtbot) -> QMessageBox:
    def find():
        return next((w for w in QApplication.topLevelWidgets() + [
            c for t in QApplication.topLevelWidgets() for c in t.findChildren(QMessageBox)]
            if isinstance(w, QMessageBox) and w.objectName() == "savedMessage" and w.isVisible()), None)

    qtbot.waitUntil(lambda: find() is not None, timeout=TIMEOUT)
    return find()


def test_a_report_is_offered_in_the_documents_folder_then_opened(qtbot, window, monkeypatch, isolated_home):
    from ufdesk.gui.report_dialog import ReportDialog

    opened, asked = [], {}
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    dialog = ReportDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.template.setCurrentIndex(dialog.template.findData("chambers"))
    qtbot.mouseClick(dialog.btn_build, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=TIMEOUT)

    def fake_save(parent, caption, suggested, filters):
        asked["path"] = suggested
        return suggested, filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    qtbot.mouseClick(dialog.btn_save, Qt.LeftButton)
    folder = Path(asked["path"]).parent
    assert folder.name == "统战台账" and folder.parent == isolated_home / "Documents"
    box = saved_box(qtbot)
    assert sorted(b.text() for b in box.buttons()) == sorted(["打开文件", "打开所在文件夹", "关闭"])
    box.grab().save(str(isolated_home / "saved.png"))
    qtbot.mouseClick(box.open_folder, Qt.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(folder))]
    assert Path(asked["path"]).is_file()
    qtbot.waitUntil(lambda: window.ctx.worker.busy == 0, timeout=TIMEOUT)


def test_an_export_ends_with_open_file(qtbot, window, monkeypatch, isolated_home):
    from ufdesk.gui.export_dialog import ExportDialog

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    dialog = ExportDialog(window.ctx, "chambers", None, window)
    qtbot.addWidget(dialog)
    dialog.show()
    path = Path(dialog.path_edit.text())
    assert path.parent == isolated_home / "Documents" / "统战台账" and path.name.startswith("商会社团_")
    qtbot.mouseClick(next(b for b in dialog.findChildren(QPushButton) if b.text() == "导出"), Qt.LeftButton)
    box = saved_box(qtbot)
    assert "已导出" in box.text() and str(path) in box.text()
    qtbot.mouseClick(box.open_file, Qt.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(path))] and path.is_file()
