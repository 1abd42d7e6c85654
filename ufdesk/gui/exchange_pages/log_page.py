"""收发记录: every package sent and received (未验证 marked), and undo of a whole imported batch."""

from __future__ import annotations

import json

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton, QVBoxLayout, QWidget

from ...exchange import package_import as I
from ..alive import guard
from .common import failed, fill, table, when


def status(entry: dict) -> str:
    if entry["status"] == "undone":
        return "已撤销"
    return "正常（未验证）" if json.loads(entry["details"] or "{}").get("trust") == "unverified" else "正常"


class LogPage(QWidget):
    undone = Signal()  # a batch was undone: the data and the reporting table changed

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.services = ctx.services
        lay = QVBoxLayout(self)
        self.log = table(["时间", "收/发", "发送方", "接收方", "序号", "记录数", "状态", "数据包编号"], self)
        self.log.setObjectName("log")
        lay.addWidget(self.log, 1)
        row = QHBoxLayout()
        self.undo_button = QPushButton("撤销所选的导入（整批）", self)
        self.undo_button.clicked.connect(self.undo_selected)
        row.addWidget(self.undo_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.log_rows: list[dict] = []

    def reload(self) -> None:
        self.ctx.worker.submit(I.log_entries, self.services, on_done=guard(self, self._loaded), on_error=lambda e: None)

    def _loaded(self, rows: list[dict]) -> None:
        self.log_rows = rows
        name = self.services.township_name
        fill(self.log, [[
            when(r["imported_at"] if r["direction"] == "received" else r["exported_at"]),
            "收到" if r["direction"] == "received" else "发出",
            name(r["sender_township"]),
            "县委统战部" if r["recipient"] == "county" else name(r["recipient"]),
            r["seq"], r["records"], status(r), r["package_id"],
        ] for r in rows])

    def undo_selected(self) -> None:
        row = self.log.currentRow()
        if row < 0 or row >= len(self.log_rows):
            return
        entry = self.log_rows[row]
        if entry["direction"] != "received" or entry["status"] == "undone":
            QMessageBox.information(self, "撤销导入", "只能撤销本机导入且尚未撤销的数据包。")
            return
        if QMessageBox.question(self, "撤销导入", f"撤销数据包 {entry['package_id']} 带来的全部修改？") != QMessageBox.Yes:
            return
        self.ctx.worker.submit(I.undo_for, self.services, entry["package_id"],
                               on_done=guard(self, self._undone),
                               on_error=guard(self, failed(self, None)))

    def _undone(self, n: int) -> None:
        QMessageBox.information(self, "撤销导入", f"已撤销，{n} 条记录恢复原状。")
        self.ctx.notify("*")
        self.undone.emit()
