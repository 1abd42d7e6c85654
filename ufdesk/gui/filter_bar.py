"""The filter bar of a ledger tab: free text, township, and the ledger's filter fields,
plus one removable condition coming from the home page (e.g. 超期未办结)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from ..domain import COUNTY_KEY
from ..domain.model import Ledger
from ..services import Query
from .editors import ChoiceCombo


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
            combo = ChoiceCombo(f, codes[f.code].items(), self, blank=f"{f.label}：全部")
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
