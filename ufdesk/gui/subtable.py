"""Sub-records of a record (trainings, arrangements, inspections, the 问题台账 …): a table
with 添加 / 修改 / 删除, each row edited in a small form generated from the sub-ledger."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.model import SubLedger, defaults_of
from ..domain.validate import problems
from .columns import sub_columns
from .fieldgrid import FieldGrid
from .messages import ok_cancel


class SubRowDialog(QDialog):
    """One sub-record row, with the same inputs and checks as the record form."""

    def __init__(self, ctx, sub: SubLedger, row: dict | None, names: dict, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.sub = sub
        self.setWindowTitle(f"{sub.label}：{'修改' if row else '添加'}")
        self.grid = FieldGrid(sub.fields, ctx, self, columns=1)
        self.row = dict(row or {})
        if not row:  # a new row shows the defaults (整改状态 整改中)
            self.grid.set_values(defaults_of(sub))
        if row:
            self.grid.set_values(row)
            for f in sub.fields:
                if f.type == "ref" and row.get(f.name):
                    self.grid.editors[f.name].set_value(row[f.name], names.get(row[f.name], ""))
        self.buttons = ok_cancel(self)
        lay = QVBoxLayout(self)
        lay.addWidget(self.grid)
        lay.addWidget(self.buttons)
        self.grid.edited.connect(self._check)
        self.resize(460, self.sizeHint().height())
        self._check()

    def _check(self) -> None:
        values = self.grid.values()
        found = problems(self.sub, values, self.ctx.services.codebook(), county_code=self.ctx.services.county_code)
        found.update(self.grid.input_problems())
        self.grid.show_problems(found)
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(not found)

    def result_row(self) -> dict:
        out = dict(self.row)
        out.update(self.grid.values())
        return out

    def ref_names(self) -> dict:
        out = {}
        for f in self.sub.fields:
            if f.type == "ref":
                ed = self.grid.editors[f.name]
                if ed.value():
                    out[ed.value()] = ed.line.text()
        return out


class SubTable(QWidget):
    """The rows of one sub-ledger of the record being edited (kept in memory until 保存)."""

    edited = Signal()

    def __init__(self, ctx, sub: SubLedger, parent=None, *, readonly: bool = False):
        super().__init__(parent)
        self.ctx = ctx
        self.sub = sub
        self.rows: list[dict] = []
        self.names: dict[str, str] = {}  # uuid → name of referenced records
        self.table = QTableWidget(0, len(sub.fields), self)
        self.table.setHorizontalHeaderLabels([f.label for f in sub.fields])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.doubleClicked.connect(lambda _i: self.edit_row())
        self.empty = QLabel(f"还没有{sub.label}记录。", self)
        self.empty.setObjectName("hint")
        buttons = QHBoxLayout()
        self.add_button = QPushButton("添加", self)
        self.edit_button = QPushButton("修改", self)
        self.del_button = QPushButton("删除", self)
        self.add_button.clicked.connect(self.add_row)
        self.edit_button.clicked.connect(self.edit_row)
        self.del_button.clicked.connect(self.delete_row)
        for b in (self.add_button, self.edit_button, self.del_button):
            b.setAutoDefault(False)
            b.setEnabled(not readonly)
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(buttons)
        lay.addWidget(self.table)
        lay.addWidget(self.empty)

    def set_rows(self, rows: list[dict], names: dict) -> None:
        self.rows = [dict(r) for r in rows]
        self.names.update(names)
        self._fill()

    def _fill(self) -> None:
        cols = sub_columns(self.sub, self.ctx.services, self.names)
        fm = self.table.fontMetrics()
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, col in enumerate(cols):
                text = col.show(row.get(col.key))
                item = QTableWidgetItem(text.replace("\n", " "))
                item.setToolTip(text if len(text) > 12 else "")
                if col.right:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(r, c, item)
        for c, col in enumerate(cols):
            self.table.setColumnWidth(c, fm.horizontalAdvance("中") * min(col.width, 24) + 16)
        self.empty.setVisible(not self.rows)

    def _dialog(self, row):
        dlg = SubRowDialog(self.ctx, self.sub, row, self.names, self)
        if dlg.exec() != QDialog.Accepted:
            return None
        self.names.update(dlg.ref_names())
        return dlg.result_row()

    def add_row(self) -> None:
        row = self._dialog(None)
        if row is not None:
            self.rows.append(row)
            self._fill()
            self.table.selectRow(len(self.rows) - 1)
            self.edited.emit()

    def edit_row(self) -> None:
        r = self.table.currentRow()
        if r < 0:
            return
        row = self._dialog(self.rows[r])
        if row is not None:
            self.rows[r] = row
            self._fill()
            self.table.selectRow(r)
            self.edited.emit()

    def delete_row(self) -> None:
        r = self.table.currentRow()
        if r < 0:
            return
        if QMessageBox.question(self, "删除", f"删除这一条{self.sub.label}记录？") != QMessageBox.Yes:
            return
        del self.rows[r]
        self._fill()
        self.edited.emit()

    def values(self) -> list[dict]:
        """Rows for the services: the stored ones keep their uuid (updated), new ones have none."""
        keep = {f.name for f in self.sub.fields} | {"uuid"}
        return [{k: v for k, v in row.items() if k in keep} for row in self.rows]
