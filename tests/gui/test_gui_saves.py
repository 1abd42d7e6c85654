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


def test_the_preview_zooms_and_goes_to_a_page(qtbot, window, isolated_home):
    from ufdesk.gui.report_dialog import ReportDialog

    dialog = ReportDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.resize(1280, 680)
    dialog.show()
    dialog.template.setCurrentIndex(dialog.template.findData("roster"))  # landscape pages
    qtbot.mouseClick(dialog.btn_build, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=TIMEOUT)
    labels = dialog.page_labels()
    assert len(labels) >= 3 and dialog.zoom.currentText() == "适合宽度"
    view = dialog.scroll.viewport().width()
    assert view - 40 < labels[0].width() <= view  # the page fills the width …
    assert not dialog.scroll.horizontalScrollBar().isVisible()  # … and no more
    dialog.grab().save(str(isolated_home / "preview-fit-width.png"))

    dialog.zoom.setCurrentIndex(dialog.zoom.findText("整页"))
    assert labels[0].height() <= dialog.scroll.viewport().height()
    dialog.zoom.setCurrentIndex(dialog.zoom.findText("100%"))
    assert labels[0].width() == dialog.images[0].width() > 1000  # a landscape A4 at 100 %: readable

    qtbot.mouseClick(dialog.btn_next, Qt.LeftButton)
    qtbot.mouseClick(dialog.btn_next, Qt.LeftButton)
    assert dialog.page_box.value() == 3 == dialog.current_page()
    dialog.page_box.setValue(1)
    assert dialog.current_page() == 1 and not dialog.btn_prev.isEnabled()
    qtbot.waitUntil(lambda: window.ctx.worker.busy == 0, timeout=TIMEOUT)


def test_printing_starts_on_a4(qtbot, window, monkeypatch, gui_settings):
    from PySide6.QtPrintSupport import QPrintDialog

    from ufdesk.gui.report_dialog import ReportDialog

    dialog = ReportDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.template.setCurrentIndex(dialog.template.findData("chambers"))
    qtbot.mouseClick(dialog.btn_build, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=TIMEOUT)
    seen = {}

    def fake_exec(self):
        p = self.printer()
        seen["printer"], seen["size"] = p.printerName(), p.pageLayout().pageSize().id()
        return 0  # 取消

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    qtbot.mouseClick(dialog.btn_print, Qt.LeftButton)
    from PySide6.QtGui import QPageSize

    assert seen["size"] == QPageSize.A4


def test_the_audit_export_is_offered_in_the_documents_folder_and_opened(qtbot, window, monkeypatch, isolated_home):
    from ufdesk.gui.audit_dialog import AuditDialog

    opened, asked = [], {}
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))

    def fake_save(parent, caption, suggested, filters):
        asked["path"] = suggested
        return suggested, filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    dialog = AuditDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.export, Qt.LeftButton)
    assert Path(asked["path"]).parent == isolated_home / "Documents" / "统战台账"
    box = saved_box(qtbot)
    assert "已导出" in box.text()
    qtbot.mouseClick(box.open_file, Qt.LeftButton)
    assert opened == [QUrl.fromLocalFile(asked["path"])] and Path(asked["path"]).is_file()
