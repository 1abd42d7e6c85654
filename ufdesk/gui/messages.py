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


def ok_cancel(dialog: QDialog, on_ok=None, ok_text: str | None = None) -> QDialogButtonBox:
    """The dialog's 确定/取消 buttons (Qt's own texts, in Chinese from qtbase_zh_CN) — 确定 named
    ``ok_text`` when it does something more particular; it calls ``on_ok`` (default: accept)."""
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, dialog)
    if ok_text:
        buttons.button(QDialogButtonBox.Ok).setText(ok_text)
    buttons.accepted.connect(on_ok or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
