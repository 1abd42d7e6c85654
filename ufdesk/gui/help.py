"""帮助 → 使用说明 (F1): the short manual shipped in resources/help, read offline in a
QTextBrowser; ``help_button(box, section)`` gives a dialog's button box a 帮助 that opens its
section."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ..paths import resource

MANUAL = ("help", "manual.html")
SECTIONS = ("first", "daily", "import", "reports", "exchange", "backup", "users")


class HelpDialog(QDialog):
    """The manual, at ``section`` (one of SECTIONS) or at its start."""

    def __init__(self, section: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("使用说明")
        self.setObjectName("helpDialog")
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        self.browser.setSource(QUrl.fromLocalFile(str(resource(*MANUAL))))
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser, 1)
        lay.addWidget(buttons)
        self.resize(720, 600)
        self.show_section(section)

    def show_section(self, section: str) -> None:
        if section:
            self.browser.scrollToAnchor(section)


_open: list[HelpDialog] = []


def show_help(parent: QWidget | None = None, section: str = "") -> HelpDialog:
    """Open the manual beside the work (not modal: the clerk reads and types at once)."""
    dialog = HelpDialog(section, parent)
    dialog.setModal(False)
    dialog.show()
    dialog.show_section(section)  # after the layout: the anchor's place is known
    _open[:] = [dialog]
    return dialog


def help_button(box: QDialogButtonBox, section: str):
    """Qt's own 帮助 in ``box``, opening ``section`` of the manual."""
    button = box.addButton(QDialogButtonBox.Help)
    button.setAutoDefault(False)
    button.clicked.connect(lambda _c=False: show_help(box.window(), section))
    return button
