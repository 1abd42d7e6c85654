"""The 考核评价 page: each township's points per indicator, adjustments, total and rank for a year
or a quarter. Clicking a figure opens the records behind it (the villages without a 联络员, the
late tasks, the incomplete records), with a button that shows them in their ledger's table."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain import LEDGERS
from ..services import evaluation as E
from .alive import guard
from .messages import error_text

QUARTERS = (("全年", None), ("第一季度", 1), ("第二季度", 2), ("第三季度", 3), ("第四季度", 4))


class BehindDialog(QDialog):
    """The records behind one township's figure."""

    def __init__(self, found: dict, parent=None):
        super().__init__(parent)
        self.found = found
        self.setWindowTitle(found["title"])
        lay = QVBoxLayout(self)
        rule = QLabel(f"计分办法：{found['rule']}", self)
        rule.setWordWrap(True)
        lay.addWidget(rule)
        self.items = QListWidget(self)
        self.items.addItems(found["lines"] or ["没有需要整改的项目。"])
        lay.addWidget(self.items)
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        self.show_button = None
        if found.get("ledger") and found.get("uuids"):
            self.show_button = buttons.addButton(f"在{LEDGERS[found['ledger']].label}中查看", QDialogButtonBox.ActionRole)
            self.show_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(560, 380)


class EvaluationPage(QWidget):
    # (ledger, filters, label, township): show records in a ledger's tab, as the home page does
    open_ledger = Signal(str, dict, str, object)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.result = None
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度：", self))
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        bar.addWidget(self.year)
        self.quarter = QComboBox(self)
        for label, q in QUARTERS:
            self.quarter.addItem(label, q)
        bar.addWidget(self.quarter)
        self.refresh = QPushButton("计算", self)
        self.refresh.clicked.connect(self.reload)
        bar.addWidget(self.refresh)
        self.status = QLabel(self)
        self.status.setObjectName("hint")
        bar.addWidget(self.status, 1)
        lay.addLayout(bar)
        self.table = QTableWidget(self)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectItems)
        self.table.verticalHeader().setVisible(False)
        self.table.cellClicked.connect(self._clicked)
        lay.addWidget(self.table)
        hint = QLabel("点击某一乡镇的某项得分，查看得分背后的记录（缺联络员的村、未按期完成的任务、信息不全的人员……）。", self)
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.quarter.currentIndexChanged.connect(lambda _i: self.reload())
        self._stale = True
        ctx.changed.connect(self._changed)

    def _changed(self, _ledger: str) -> None:
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        self._stale = False
        self.status.setText("正在计算…")
        self.ctx.worker.submit(E.evaluate, self.ctx.services, self.year.value(), self.quarter.currentData(),
                               on_done=guard(self, self._show), on_error=guard(self, self._failed))

    def _failed(self, exc) -> None:
        self.status.setText(f"计算失败：{error_text(exc)}")

    def _show(self, result) -> None:
        self.result = result
        towns = sorted(result.townships, key=lambda t: (t["rank"], t["code"]))
        self.rows = towns
        items = result.rubric
        heads = ["名次", "乡镇（街道）", *[f"{i.label}\n（{i.points:g}分）" for i in items], "加减分", "总分"]
        self.table.clear()
        self.table.setColumnCount(len(heads))
        self.table.setRowCount(len(towns))
        self.table.setHorizontalHeaderLabels(heads)
        for r, t in enumerate(towns):
            adj = sum(a["points"] for a in t["adjustments"])
            cells = [str(t["rank"]), t["name"]]
            cells += [f"{i['points']:g}（{i['numerator']}/{i['denominator']}）" if i["denominator"] else f"{i['points']:g}（无此项）"
                      for i in t["indicators"]]
            cells += [f"{adj:+g}" if adj else "", f"{t['total']:g}"]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignCenter if c != 1 else Qt.AlignLeft | Qt.AlignVCenter)
                if 2 <= c < 2 + len(items):
                    item.setToolTip("点击查看得分背后的记录")
                    full = t["indicators"][c - 2]
                    if full["points"] < full["max"]:
                        f = item.font()
                        f.setBold(True)
                        item.setFont(f)
                self.table.setItem(r, c, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        p = result.period
        self.status.setText(f"{p.label}，截至{p.as_of:%Y年%m月%d日}；未得满分的项以粗体标出。")

    def _clicked(self, row: int, column: int) -> None:
        if self.result is None or not 2 <= column < 2 + len(self.result.rubric):
            return
        town = self.rows[row]
        key = self.result.rubric[column - 2].key
        p = self.result.period
        try:
            found = E.behind(self.ctx.services, p.year, p.quarter, town["code"], key)
        except Exception as exc:  # a sentence, never a traceback
            self.status.setText(error_text(exc))
            return
        self.dialog = BehindDialog(found, self)
        self.dialog.accepted.connect(lambda: self.open_ledger.emit(
            found["ledger"], {"uuid": ("in", tuple(found["uuids"]))}, found["title"], None))
        self.dialog.open()
