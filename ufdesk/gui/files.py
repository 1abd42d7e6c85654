"""Where saves go and what follows them: files are offered in a 统战台账 folder under the user's
documents, and every export or report ends with 打开文件 / 打开所在文件夹."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

FOLDER = "统战台账"


def save_folder() -> Path:
    """``文档/统战台账`` (made when first needed); the home folder when there is no documents folder."""
    docs = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation) or str(Path.home())
    folder = Path(docs) / FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path.home()
    return folder


def suggested(name: str) -> str:
    """The path a save dialog proposes for ``name``."""
    return str(save_folder() / name)


def open_path(path: str | Path) -> bool:
    """Open a file or a folder with the program the PC uses for it (Excel, WPS, the file manager)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


_shown: list = []  # boxes without a parent stay alive until they are closed


def show_saved(parent: QWidget | None, title: str, path: str | Path, text: str = "") -> QMessageBox:
    """Say where the file went, offering 打开文件 and 打开所在文件夹 (opened, not waited for: the
    dialog behind stays usable, nothing blocks)."""
    path = Path(path)
    box = QMessageBox(QMessageBox.Information, title, text or f"已保存到：\n{path}", QMessageBox.NoButton, parent)
    box.setObjectName("savedMessage")
    box.open_file = box.addButton("打开文件", QMessageBox.AcceptRole)
    box.open_folder = box.addButton("打开所在文件夹", QMessageBox.ActionRole)
    box.close_button = box.addButton("关闭", QMessageBox.RejectRole)
    box.setDefaultButton(box.open_file)
    box.setEscapeButton(box.close_button)

    def clicked(button) -> None:
        if button is box.open_file:
            open_path(path)
        elif button is box.open_folder:
            open_path(path.parent)

    box.buttonClicked.connect(clicked)
    box.finished.connect(lambda _r: _shown.remove(box) if box in _shown else None)
    _shown.append(box)
    box.open()
    return box
