"""Turning errors into messages a clerk can act on."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QWidget

from ..domain.errors import UfError

log = logging.getLogger("ufdesk")


def error_text(exc: BaseException) -> str:
    """The sentence shown for an error: typed errors speak for themselves; anything else is a
    defect, logged by type only (never with the record's data) and told as such."""
    if isinstance(exc, UfError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"文件操作失败：{exc.strerror or exc}"
    log.error("unexpected %s", type(exc).__name__)
    return f"程序内部错误（{type(exc).__name__}）。您的数据未被修改；请将此情况告知维护人员。"


def show_error(parent: QWidget | None, exc: BaseException, title: str = "出错了") -> None:
    QMessageBox.warning(parent, title, error_text(exc))


def ok_cancel(dialog: QDialog, on_ok=None, ok_text: str = "确定") -> QDialogButtonBox:
    """The dialog's 确定/取消 buttons in Chinese; 确定 calls ``on_ok`` (default: accept)."""
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, dialog)
    buttons.button(QDialogButtonBox.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.Cancel).setText("取消")
    buttons.accepted.connect(on_ok or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
