"""帮助 → 关于 → 第三方软件许可: the clerk (or the county's IT person) sees every library and font
the program ships, with its licence, in readable Chinese."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


def test_about_opens_the_third_party_notices(window, qtbot, tmp_path):
    from ufdesk.gui.notices_dialog import NOTICES_BUTTON, NoticesDialog

    seen = {}

    def in_notices():
        d = QApplication.activeModalWidget()
        if not isinstance(d, NoticesDialog):
            return QTimer.singleShot(50, in_notices)
        seen["title"], seen["text"] = d.windowTitle(), d.text.toPlainText()
        d.resize(760, 480)
        d.grab().save(str(tmp_path / "notices.png"))
        d.reject()

    def in_about():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return QTimer.singleShot(50, in_about)
        seen["about"] = box.text()
        button = next(b for b in box.buttons() if b.text() == NOTICES_BUTTON)
        QTimer.singleShot(0, in_notices)
        button.click()

    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text().startswith("帮助"))
    QTimer.singleShot(0, in_about)
    next(a for a in help_menu.actions() if a.text() == "关于…").trigger()
    assert "版本" in seen["about"]
    assert seen["title"] == "第三方软件许可"
    text = seen["text"]
    for name in ("PySide6_Essentials", "SQLAlchemy", "reportlab", "openpyxl", "文泉驿微米黑", "文鼎PL明体",
                 "花园明朝"):
        assert name in text, name
    assert "LGPL-3.0" in text and "Apache-2.0" in text
    assert (tmp_path / "notices.png").stat().st_size > 5000
