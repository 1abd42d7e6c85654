"""Choosing a record of another ledger (a representative for a chamber or a proposal)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from ..domain import LEDGERS
from ..services import Query
from .alive import guard
from .messages import ok_cancel

LIMIT = 50


class RecordPicker(QDialog):
    """Type part of a name; pick one of the first matches. ``chosen`` = (uuid, title)."""

    def __init__(self, ctx, ledger: str, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.ledger = LEDGERS[ledger]
        self.chosen: tuple[str, str] | None = None
        self.setWindowTitle(f"选择{self.ledger.label}")
        self.resize(420, 460)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("输入姓名或单位中的字查找")
        self.list = QListWidget(self)
        self.hint = QLabel(self)
        buttons = ok_cancel(self, self._accept, ok_text="选择")
        lay = QVBoxLayout(self)
        for w in (self.search, self.list, self.hint, buttons):
            lay.addWidget(w)
        self._timer = QTimer(self, singleShot=True, interval=150, timeout=self._run)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.list.itemDoubleClicked.connect(lambda _it: self._accept())
        self._run()

    def _run(self) -> None:
        lg = self.ledger
        cols = ["uuid", lg.title, "township"] + [f.name for f in lg.fields if f.name in ("employer", "position")]
        q = Query(lg.name, text=self.search.text().strip())
        self.ctx.worker.submit(self.ctx.services.page, q, 0, LIMIT, cols, on_done=guard(self, self._show))

    def _show(self, rows: list[dict]) -> None:
        self.list.clear()
        names = dict(self.ctx.services.townships())
        for r in rows:
            extra = " · ".join(str(r[k]) for k in ("employer", "position") if r.get(k))
            place = names.get(r.get("township"), "县直")
            it = QListWidgetItem(f"{r[self.ledger.title]}　（{place}）　{extra}", self.list)
            it.setData(Qt.UserRole, (r["uuid"], r[self.ledger.title]))
        self.hint.setText(f"显示前 {LIMIT} 条，请输入更多字缩小范围" if len(rows) >= LIMIT else f"共 {len(rows)} 条")
        if rows:
            self.list.setCurrentRow(0)

    def _accept(self) -> None:
        it = self.list.currentItem()
        if it is None:
            return
        self.chosen = it.data(Qt.UserRole)
        self.accept()
