"""导出 dialog: the current tab's filtered view, the whole ledger, or every ledger, to xlsx.

ID and phone numbers are exported partly hidden; the 完整身份证号 box is offered only to
users with the right, and such an export is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from ..domain import ledger as get_ledger
from .messages import error_text, ok_cancel
from .tasks import run_with_progress


def _export(services, names, path, query, full_ids):
    from ..exchange.xlsx_export import export_xlsx

    return (yield from export_xlsx(services, names, path, query=query, full_ids=full_ids))


class ExportDialog(QDialog):
    """Export from the tab of ``ledger_name``; ``query`` is the tab's current filtered view (or None)."""

    def __init__(self, ctx, ledger_name: str, query=None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.lg = get_ledger(ledger_name)
        self.query = query
        self.count = None
        self.setWindowTitle("导出到 Excel")
        services = ctx.services
        self.view_btn = QRadioButton(self._view_text())
        self.ledger_btn = QRadioButton(f"整个{self.lg.label}台账")
        self.all_btn = QRadioButton("全部六个台账（每个台账一个工作表，另附培训、政治安排等明细表）")
        (self.view_btn if query is not None else self.ledger_btn).setChecked(True)
        self.view_btn.setEnabled(query is not None)
        self.full_ids = QCheckBox("完整身份证号（及电话号码）")
        allowed = services.allowed("export_full_ids")
        self.full_ids.setEnabled(allowed)
        self.full_ids.setToolTip("导出完整号码会记入审计日志；请妥善保管导出的文件。" if allowed
                                 else "只有管理员可以导出完整身份证号。")
        note = QLabel("默认导出时身份证号、电话号码部分隐藏（如 5105**********1234）。")
        note.setWordWrap(True)
        stamp = dt.date.today().strftime("%Y%m%d")
        from .files import suggested

        self.path_edit = QLineEdit(suggested(f"{self.lg.label}_{stamp}.xlsx"))  # 文档/统战台账
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        buttons = ok_cancel(self, self.start, ok_text="导出")
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("导出哪些记录："))
        for b in (self.view_btn, self.ledger_btn, self.all_btn):
            lay.addWidget(b)
        lay.addSpacing(8)
        lay.addWidget(self.full_ids)
        lay.addWidget(note)
        lay.addSpacing(8)
        lay.addWidget(QLabel("保存为："))
        lay.addLayout(row)
        lay.addWidget(buttons)
        self.all_btn.toggled.connect(self._suggest_name)
        self.resize(560, 0)

    def _view_text(self) -> str:
        if self.query is None:
            return "当前筛选结果（未筛选）"
        n = self.ctx.services.count(self.query)
        return f"当前筛选结果（{n}条）"

    def _suggest_name(self, all_ledgers: bool) -> None:
        p = Path(self.path_edit.text())
        stamp = dt.date.today().strftime("%Y%m%d")
        self.path_edit.setText(str(p.with_name(f"{'全部台账' if all_ledgers else self.lg.label}_{stamp}.xlsx")))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出到", self.path_edit.text(), "Excel 工作簿 (*.xlsx)")
        if path:
            self.path_edit.setText(path if path.lower().endswith(".xlsx") else path + ".xlsx")

    def selection(self) -> tuple[str, object]:
        if self.all_btn.isChecked():
            return "all", None
        if self.view_btn.isChecked():
            return self.lg.name, self.query
        return self.lg.name, None

    def start(self) -> None:
        path = self.path_edit.text().strip()
        if not path:
            return
        names, query = self.selection()
        self.progress = run_with_progress(
            self, self.ctx.worker, "正在导出", _export, self.ctx.services, names, path, query, self.full_ids.isChecked(),
            on_done=lambda n: self._done(n, path),
            on_error=lambda exc: QMessageBox.warning(self, "导出失败", error_text(exc)))

    def _done(self, count: int, path: str) -> None:
        from .files import show_saved

        self.count = count
        self.accept()
        show_saved(self.parentWidget(), "导出完成", path, f"已导出 {count} 条记录到\n{path}")
