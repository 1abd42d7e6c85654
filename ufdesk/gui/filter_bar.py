"""The filter bar of a ledger tab: free text, township, and the ledger's filter fields,
plus one removable condition coming from the home page (e.g. 超期未办结)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QToolButton,
    QWidget,
)

from ..domain import COUNTY_KEY
from ..domain.model import Ledger
from ..services import Query
from .editors import ChoiceCombo

PASS_ON = (Qt.Key_E, Qt.Key_I, Qt.Key_P, Qt.Key_N, Qt.Key_O)  # 导出, 导入, 报表, 新增, 打开


class FilterCombo(ChoiceCombo):
    """A filter's drop-down that keeps its caption once a value is chosen: “性别：女”, not “女”."""

    def __init__(self, field, items, parent=None, *, caption: str):
        self.caption = caption
        super().__init__(field, items, parent, blank=f"{caption}：全部")
        self.currentIndexChanged.connect(lambda _i: self.setToolTip(self.shown_text()))

    def shown_text(self) -> str:
        return self.currentText() if self.currentIndex() <= 0 else f"{self.caption}：{self.currentText()}"

    def paintEvent(self, _event) -> None:
        painter = QStylePainter(self)
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        opt.currentText = self.shown_text()
        painter.drawComplexControl(QStyle.CC_ComboBox, opt)
        painter.drawControl(QStyle.CE_ComboBoxLabel, opt)


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, ctx, lg: Ledger, parent=None):
        super().__init__(parent)
        self.lg = lg
        self.extra: dict = {}
        self.text = QLineEdit(self)
        names = "、".join(f.label for f in lg.search_fields[:3])
        self.text.setPlaceholderText(f"查找（{names}）")
        self.text.setClearButtonEnabled(True)
        self.text.setMinimumWidth(160)
        self.text.textChanged.connect(lambda _t: self.changed.emit())
        self.text.installEventFilter(self)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(self.text, 2)
        places = [(COUNTY_KEY, "县直"), *ctx.services.townships()]
        self.township = ChoiceCombo(None, places, self, blank="全部乡镇")
        self.township.setToolTip("所属乡镇")
        self.township.edited.connect(self.changed)
        lay.addWidget(self.township, 1)
        self.combos: dict[str, ChoiceCombo] = {}
        codes = ctx.services.codebook()
        for f in lg.filter_fields:
            combo = FilterCombo(f, codes[f.code].items(), self, caption=f.label)
            combo.setToolTip(f.label)
            combo.edited.connect(self.changed)
            self.combos[f.name] = combo
            lay.addWidget(combo, 1)
        self.chip = QLabel(self)
        self.chip.setObjectName("filterChip")
        self.chip_clear = QToolButton(self)
        self.chip_clear.setText("✕")
        self.chip_clear.setToolTip("去掉这个条件")
        self.chip_clear.clicked.connect(self.clear_extra)
        lay.addWidget(self.chip)
        lay.addWidget(self.chip_clear)
        self.reset = QToolButton(self)
        self.reset.setText("清空条件")
        self.reset.clicked.connect(self.clear)
        lay.addWidget(self.reset)
        self._show_chip("")

    def eventFilter(self, obj, event) -> bool:
        """In the search box Ctrl+Z undoes its typing while it has any, then (passed on to the
        window) the last record change; Ctrl+Y likewise; the window's other shortcuts (Ctrl+E
        导出 …) are never swallowed by the box."""
        if obj is self.text and event.type() == QEvent.ShortcutOverride:
            if event.matches(QKeySequence.Undo):
                return not obj.isUndoAvailable()  # True: not accepted, so the window's Ctrl+Z runs
            if event.matches(QKeySequence.Redo) or (event.modifiers() == Qt.ControlModifier and event.key() == Qt.Key_Y):
                return not obj.isRedoAvailable()
            if event.modifiers() & Qt.ControlModifier and event.key() in PASS_ON:
                return True
        return super().eventFilter(obj, event)

    def _show_chip(self, label: str) -> None:
        self.chip.setText(label)
        self.chip.setVisible(bool(label))
        self.chip_clear.setVisible(bool(label))

    def query(self, base: Query) -> Query:
        filters = {name: c.value() for name, c in self.combos.items() if c.value() is not None}
        filters.update(self.extra)
        return Query(self.lg.name, text=self.text.text().strip(), township=self.township.value(),
                     filters=filters, sort=base.sort, desc=base.desc)

    def set_filters(self, filters: dict, label: str = "", *, township: str | None = None, text: str = "") -> None:
        """Show exactly these conditions (from a click on the home page)."""
        self.blockSignals(True)
        self.text.setText(text)
        self.township.set_value(township)
        for name, combo in self.combos.items():
            combo.set_value(filters.get(name) if not isinstance(filters.get(name), tuple) else None)
        self.extra = {k: v for k, v in filters.items() if k not in self.combos or isinstance(v, tuple)}
        self._show_chip(label if self.extra else "")
        self.blockSignals(False)
        self.changed.emit()

    def clear_extra(self) -> None:
        self.extra = {}
        self._show_chip("")
        self.changed.emit()

    def clear(self) -> None:
        self.set_filters({})
