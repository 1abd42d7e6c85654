"""What a ledger table does with several selected rows, as Excel and WPS users expect: Ctrl+C
copies them as cells (tab-separated text, and an HTML table whose cells Excel keeps as text, so
that an ID number stays 18 digits and nothing becomes a formula), a right-click menu, and
批量修改 — one field set on all of them through the services."""

from __future__ import annotations

import html

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProxyStyle,
    QRadioButton,
    QStyle,
    QStyleOptionHeader,
    QVBoxLayout,
)

from ..domain import COUNTY_KEY
from .messages import error_text, ok_cancel

FORMULA_START = ("=", "+", "-", "@")


def selected_rows(view) -> list[int]:
    """The selected rows in the order shown."""
    return sorted({i.row() for i in view.selectionModel().selectedRows()})


def visible_columns(view) -> list[int]:
    """Logical column numbers in the order the clerk sees them (moved columns too), hidden ones out."""
    header = view.horizontalHeader()
    cols = [header.logicalIndex(v) for v in range(header.count())]
    return [c for c in cols if not header.isSectionHidden(c)]


def cells_text(rows: list[list[str]]) -> str:
    """Tab-separated lines; a cell that a spreadsheet would take for a formula gets a leading '."""
    def cell(text: str) -> str:
        text = (text or "").replace("\t", " ").replace("\r", " ").replace("\n", " ")
        return "'" + text if text.startswith(FORMULA_START) else text

    return "\r\n".join("\t".join(cell(c) for c in r) for r in rows) + "\r\n"


def cells_html(rows: list[list[str]]) -> str:
    """The same cells as an HTML table marked text (Excel's ``mso-number-format:\\@``)."""
    body = "".join("<tr>" + "".join(f"<td style='mso-number-format:\"\\@\"'>{html.escape(c or '')}</td>" for c in r)
                   + "</tr>" for r in rows)
    return f"<html><body><table>{body}</table></body></html>"


def put_on_clipboard(rows: list[list[str]]) -> None:
    mime = QMimeData()
    mime.setText(cells_text(rows))
    mime.setHtml(cells_html(rows))
    QGuiApplication.clipboard().setMimeData(mime)
    global _flush_registered
    if not _flush_registered:
        import atexit

        atexit.register(_flush_clipboard)
        _flush_registered = True


_flush_registered = False


def _flush_clipboard() -> None:
    """At exit, what was copied stays on the clipboard as plain text: a QMimeData made here must
    not outlive Python (it crashed the program's exit once the interpreter tore down)."""
    app = QGuiApplication.instance()
    if app is not None:
        board = QGuiApplication.clipboard()
        text = board.text()
        board.setText(text) if text else board.clear()


def table_menu(tab, pos) -> QMenu:
    """The right-click menu of a ledger table (built each time: it follows the selection)."""
    menu = QMenu(tab.view)
    n = len(selected_rows(tab.view))
    can_edit = tab.ctx.services.allowed("edit")
    county_only = bool(getattr(tab, "county_note", ""))  # a township PC's 重点任务: the county's
    acts = [
        ("查看" if not can_edit else "修改", "Enter", lambda: tab.open_record(tab.view.currentIndex().row()), n == 1),
        (f"新增{tab.lg.label}", "Ctrl+N", tab.new_record, can_edit and not county_only),
        None,
        ("复制", "Ctrl+C", tab.copy_selection, n > 0),
        ("复制（含列标题）", "", lambda: tab.copy_selection(headers=True), n > 0),
        ("全选", "Ctrl+A", tab.view.selectAll, True),
        None,
        (f"批量修改（{n}条）…" if n > 1 else "批量修改…", "", tab.bulk_edit, can_edit and n > 0),
        (f"删除（{n}条）" if n > 1 else "删除", "Delete", tab.delete_record, can_edit and not county_only and n > 0),
    ]
    for a in acts:
        if a is None:
            menu.addSeparator()
            continue
        text, keys, slot, enabled = a
        act = menu.addAction(f"{text}\t{keys}" if keys else text)
        act.triggered.connect(lambda _c=False, slot=slot: slot())
        act.setEnabled(enabled)
    return menu


class ExcelArrows(QProxyStyle):
    """Sort arrows as Excel and WPS draw them: ▲ for ascending (A→Z, 1→9), ▼ for descending.
    Qt's header asks for the opposite (ascending = SortDown), so the two are swapped here."""

    def drawPrimitive(self, element, option, painter, widget=None):
        if element == QStyle.PE_IndicatorHeaderArrow and isinstance(option, QStyleOptionHeader):
            swapped = QStyleOptionHeader(option)
            up, down = QStyleOptionHeader.SortIndicator.SortUp, QStyleOptionHeader.SortIndicator.SortDown
            swapped.sortIndicator = {up: down, down: up}.get(option.sortIndicator, option.sortIndicator)
            return super().drawPrimitive(element, swapped, painter, widget)
        return super().drawPrimitive(element, option, painter, widget)


class BulkEditDialog(QDialog):
    """批量修改: which field, what value (人士类别: 加上 / 去掉 / 设为), for ``count`` records."""

    def __init__(self, ctx, lg, count: int, parent=None):
        super().__init__(parent)
        self.ctx, self.lg = ctx, lg
        self.setWindowTitle("批量修改")
        svc = ctx.services
        codes = svc.codebook()
        self.fields = [("township", "所属乡镇", "code",
                        [(COUNTY_KEY, "县直"), *svc.townships()])]
        for f in svc.bulk_fields(lg.name):
            self.fields.append((f.name, f.label, f.type, list(codes[f.code].items())))
        self.field = QComboBox(self)
        for name, label, _t, _items in self.fields:
            self.field.addItem(label, name)
        self.value = QComboBox(self)
        self.value.setMinimumContentsLength(12)
        self.mode_box = QHBoxLayout()
        self.modes = QButtonGroup(self)
        for i, (mode, text) in enumerate((("add", "加上"), ("remove", "去掉"), ("set", "只保留这一项"))):
            b = QRadioButton(text, self)
            b.setProperty("mode", mode)
            b.setChecked(i == 0)
            self.modes.addButton(b)
            self.mode_box.addWidget(b)
        self.mode_box.addStretch(1)
        self.message = QLabel(self)
        self.message.setObjectName("fieldMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("字段", self.field)
        form.addRow("改为", self.value)
        form.addRow("", self.mode_box)
        self.form = form
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(f"把选中的 {count} 条{lg.label}的一个字段改成同一个值（可以撤销）：", self))
        lay.addLayout(form)
        lay.addWidget(self.message)
        self.buttons = ok_cancel(self, ok_text="修改")
        lay.addWidget(self.buttons)
        self.field.currentIndexChanged.connect(self._field_changed)
        self._field_changed()

    def _field_changed(self) -> None:
        _name, _label, ftype, items = self.fields[self.field.currentIndex()]
        self.value.clear()
        for code, name in items:
            self.value.addItem(name, code)
        for b in self.modes.buttons():
            b.setVisible(ftype == "codes")

    def choice(self) -> tuple[str, str, str]:
        """(field, value, mode) as ``services.set_field`` takes them."""
        name, _label, ftype, _items = self.fields[self.field.currentIndex()]
        mode = self.modes.checkedButton().property("mode") if ftype == "codes" else "set"
        return name, self.value.currentData(), mode

    def describe(self) -> str:
        name, _v, mode = self.choice()
        label = self.field.currentText()
        verb = {"add": "加上", "remove": "去掉", "set": "改为"}[mode]
        return f"{label}{verb}“{self.value.currentText()}”"


def run_bulk_edit(tab) -> None:
    """Ask for the field and the value, then set it on the selected records (on the worker)."""
    from .alive import guard

    rows = selected_rows(tab.view)
    uuids = [u for u in (tab.model.uuid_at(r) for r in rows) if u]
    if not uuids:
        return
    dialog = BulkEditDialog(tab.ctx, tab.lg, len(uuids), tab)
    tab.bulk_dialog = dialog
    if dialog.exec() != QDialog.Accepted:
        return
    name, value, mode = dialog.choice()
    what = dialog.describe()

    def done(changes):
        tab.ctx.notify(tab.lg.name)
        window = tab.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(f"已批量修改 {len(changes)} 条{tab.lg.label}：{what}（Ctrl+Z 撤销）", 8000)

    def failed(exc):
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(tab, "批量修改", f"没有修改任何记录：{error_text(exc)}")

    tab.ctx.worker.submit(tab.ctx.services.set_field, tab.lg.name, uuids, name, value, mode=mode,
                          on_done=guard(tab, done), on_error=guard(tab, failed))


__all__ = ["BulkEditDialog", "cells_html", "cells_text", "put_on_clipboard", "run_bulk_edit", "selected_rows",
           "table_menu", "visible_columns", "ExcelArrows"]
