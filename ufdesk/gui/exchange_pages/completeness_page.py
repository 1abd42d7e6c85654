"""报送情况: for a month, which townships have sent their package, when, and whether on time."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...exchange.completeness import completeness
from ..alive import guard
from .common import fill, table, when


class CompletenessPage(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.services = ctx.services
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("月份", self))
        self.month = QComboBox(self)
        first = dt.date.today().replace(day=1)
        for i in range(12):
            y, m = divmod(first.year * 12 + first.month - 1 - i, 12)
            self.month.addItem(f"{y}年{m + 1}月", f"{y}-{m + 1:02d}")
        self.month.currentIndexChanged.connect(self.reload)
        row.addWidget(self.month)
        row.addStretch(1)
        lay.addLayout(row)
        self.report = table(["乡镇", "报送", "导出时间", "导入时间", "记录数", "按时"], self)
        self.report.setObjectName("completeness")
        lay.addWidget(self.report, 1)
        self.report_note = QLabel("", self)
        lay.addWidget(self.report_note)

    def reload(self) -> None:
        month = self.month.currentData()
        self.ctx.worker.submit(completeness, self.services, month, on_done=guard(self, self._loaded),
                               on_error=lambda e: None)

    def _loaded(self, rows: list[dict]) -> None:
        fill(self.report, [[
            r["name"], "已报送" if r["reported"] else "未报送", when(r["exported_at"]), when(r["imported_at"]),
            r["records"] if r["reported"] else "", ("按时" if r["on_time"] else "逾期") if r["reported"] else "",
        ] for r in rows])
        for n, r in enumerate(rows):
            if not r["reported"] or not r["on_time"]:
                for c in (1, 5):
                    self.report.item(n, c).setForeground(QColor("#b00020"))
        missing = [r["name"] for r in rows if not r["reported"]]
        self.report_note.setText(f"未报送：{'、'.join(missing)}" if missing else "各乡镇均已报送。")
