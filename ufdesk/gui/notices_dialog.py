"""帮助 → 关于, and from it 第三方软件许可: every library and font the program ships, with its
licence (ufdesk/notices.py; the bundle carries them as resources/THIRD_PARTY_NOTICES.txt)."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QPlainTextEdit, QVBoxLayout, QWidget

NOTICES_BUTTON = "第三方软件许可…"


class NoticesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        from ..notices import notices_text

        super().__init__(parent)
        self.setWindowTitle("第三方软件许可")
        self.resize(760, 600)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.FixedFont)
        font.setFamilies([font.family(), self.font().family()])  # Latin fixed, Chinese from the app font
        self.text.setFont(font)
        self.text.setPlainText(notices_text())
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)


def about_box(parent: QWidget, title: str, text: str) -> None:
    """The 关于 box, with a button that opens the third-party notices."""
    box = QMessageBox(QMessageBox.Information, title, text, QMessageBox.Ok, parent)
    notices = box.addButton(NOTICES_BUTTON, QMessageBox.ActionRole)
    box.exec()
    if box.clickedButton() is notices:
        NoticesDialog(parent).exec()
