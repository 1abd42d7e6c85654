"""审计日志: filter the log and export it. Read-only: nothing here edits or deletes a row."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..services import auditlog as L
from .help import help_button
from .messages import show_error

LIMIT = 2000
ALL = "全部"
WHOLE_ON_HOVER = 5  # 摘要 and 详情 (before → after) are cut to the column: the tooltip has all of it


def whole(text: str) -> str:
    """A tooltip holding all of ``text``: rich text, so Qt wraps it; one field a line."""
    return "<p>" + "<br>".join(html.escape(part) for part in text.split("；")) + "</p>"


class AuditDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("审计日志")
        self.setObjectName("auditDialog")
        allowed = ctx.services.allowed("admin")
        self.action = QComboBox(self)
        self.action.addItem(ALL)
        for label in dict.fromkeys(L.ACTIONS.values()):
            self.action.addItem(label)
        self.user = QComboBox(self)
        self.user.addItem(ALL)
        self.text = QLineEdit(self)
        self.text.setPlaceholderText("摘要或记录编号中的文字")
        self.since, self.until = QDateEdit(self), QDateEdit(self)
        for w, d in ((self.since, QDate.currentDate().addMonths(-3)), (self.until, QDate.currentDate())):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
            w.setDate(d)
        self.search = QPushButton("查询", self)
        self.search.clicked.connect(self.reload)
        self.export = QPushButton("导出 Excel…", self)
        self.export.setObjectName("auditExport")
        self.export.clicked.connect(self.export_xlsx)
        bar = QHBoxLayout()
        for label, w in (("操作", self.action), ("用户", self.user), ("从", self.since), ("到", self.until)):
            bar.addWidget(QLabel(label, self))
            bar.addWidget(w)
        bar.addWidget(self.text, 1)
        bar.addWidget(self.search)
        bar.addWidget(self.export)
        self.table = QTableWidget(0, len(L.HEADERS), self)
        self.table.setHorizontalHeaderLabels(L.HEADERS)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.status = QLabel(self)
        close = QDialogButtonBox(QDialogButtonBox.Close, self)
        close.rejected.connect(self.reject)
        help_button(close, "users")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.resize(1100, 600)
        if not allowed:
            for w in (self.action, self.user, self.text, self.since, self.until, self.search, self.export):
                w.setEnabled(False)
            self.status.setText("只有管理员可以查看审计日志。")
            return
        for u in L.users_seen(ctx.services):
            self.user.addItem(u)
        self.reload()

    def filters(self) -> dict:
        return {
            "action": None if self.action.currentText() == ALL else self.action.currentText(),
            "user": None if self.user.currentText() == ALL else self.user.currentText(),
            "text": self.text.text().strip() or None,
            "since": self.since.date().toPython(),
            "until": self.until.date().toPython(),
        }

    def reload(self) -> None:
        try:
            rows = L.entries(self.ctx.services, limit=LIMIT, **self.filters())
        except Exception as exc:  # shown, never raised into Qt's event loop
            show_error(self, exc)
            return
        self.table.setRowCount(len(rows))
        for r, e in enumerate(rows):
            for c, v in enumerate(L.row_values(e)):
                item = QTableWidgetItem(str(v))
                item.setFlags(Qt.ItemIsSelectable | Qt.ItemIsEnabled)
                if c >= WHOLE_ON_HOVER and v:
                    item.setToolTip(whole(str(v)))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        for c in range(WHOLE_ON_HOVER, self.table.columnCount()):  # long texts: cut, whole on hover
            self.table.setColumnWidth(c, min(self.table.columnWidth(c), 320))
        more = f"（只显示最近 {LIMIT} 条，请缩小范围）" if len(rows) >= LIMIT else ""
        self.status.setText(f"共 {len(rows)} 条{more}。身份证号、电话等敏感值在日志中已遮盖。")

    def export_xlsx(self) -> None:
        from .files import show_saved, suggested

        name = suggested(f"审计日志_{dt.date.today():%Y%m%d}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "导出审计日志", name, "Excel 文件 (*.xlsx)")
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        try:
            n = L.export_xlsx(self.ctx.services, path, **self.filters())
        except Exception as exc:
            show_error(self, exc)
            return
        show_saved(self, "审计日志", path, f"已导出 {n} 条：{path}")
