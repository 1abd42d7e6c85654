"""What the exchange pages share: read-only table cells, dates, the passphrase box, the one-line
result label (red for an error)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QTableWidget, QTableWidgetItem, QWidget


def item(text) -> QTableWidgetItem:
    it = QTableWidgetItem("" if text is None else str(text))
    it.setFlags(it.flags() & ~Qt.ItemIsEditable)
    return it


def when(v) -> str:
    return v.strftime("%Y-%m-%d %H:%M") if isinstance(v, dt.datetime) else (v or "")


def fill(table: QTableWidget, rows: list[list]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            table.setItem(r, c, item(v))
    table.resizeColumnsToContents()


def table(headers: list[str], parent) -> QTableWidget:
    t = QTableWidget(0, len(headers), parent)
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setSelectionBehavior(QTableWidget.SelectRows)
    t.setSelectionMode(QTableWidget.SingleSelection)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def password(parent, placeholder: str = "县里统一的交换口令") -> QLineEdit:
    w = QLineEdit(parent)
    w.setEchoMode(QLineEdit.Password)
    w.setPlaceholderText(placeholder)
    return w


def say(page: QWidget, label: QLabel | None, text: str, *, error: bool = False) -> None:
    """``text`` in ``label`` (red for an error), or in a message box when there is no label."""
    if label is None:
        QMessageBox.warning(page, "数据交换", text)
        return
    label.setStyleSheet("color: #b00020;" if error else "")
    label.setText(text)


def failed(page: QWidget, label: QLabel | None, then=None):
    """An ``on_error`` for the worker: the error's Chinese sentence in ``label``."""
    from ..messages import error_text

    def show(exc):
        if then is not None:
            then()
        say(page, label, error_text(exc), error=True)

    return show
