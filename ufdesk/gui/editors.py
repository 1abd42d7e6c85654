"""One input widget per field type, made from the field's description.

Every editor has ``value()`` (the value as the services take it, None when empty),
``set_value(v)``, ``problem()`` (a message when what was typed cannot be read, e.g. a date
written wrongly) and the signal ``edited``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from ..domain.codes import join_multi, split_multi
from ..domain.dates import DateError, parse_date
from ..domain.model import Field
from .alive import guard


class _Line(QLineEdit):
    edited = Signal()

    def __init__(self, field: Field, parent=None):
        super().__init__(parent)
        self.field = field
        if field.max_len:
            self.setMaxLength(field.max_len)
        if field.help:
            self.setPlaceholderText(field.help)
        self.textChanged.connect(self.edited)

    def value(self):
        text = self.text().strip()
        return text or None

    def set_value(self, v) -> None:
        self.setText("" if v is None else str(v))

    def problem(self) -> str | None:
        return None


class TextEdit(_Line):
    def value(self):
        text = self.text().strip()
        if self.field.type in ("idcard", "uscc", "site_reg"):
            text = text.upper().replace(" ", "")
        return text or None


class IntEdit(_Line):
    def __init__(self, field, parent=None):
        super().__init__(field, parent)
        self.setValidator(QIntValidator(0, 2_000_000_000, self))
        self.setMaximumWidth(120)

    def value(self):
        text = self.text().strip()
        return int(text) if text.isdigit() else None

    def problem(self):
        text = self.text().strip()
        return None if not text or text.isdigit() else "应为整数"


class DecimalEdit(_Line):
    def __init__(self, field, parent=None):
        super().__init__(field, parent)
        self.setMaximumWidth(140)

    def value(self):
        try:
            return Decimal(self.text().strip()) if self.text().strip() else None
        except InvalidOperation:
            return None

    def problem(self):
        return "应为数字，例如 1.5" if self.text().strip() and self.value() is None else None


class DateEdit(QWidget):
    """A date that may be left empty: typed in any usual way, or picked on a calendar."""

    edited = Signal()

    def __init__(self, field: Field, parent=None):
        super().__init__(parent)
        self.field = field
        self.line = QLineEdit(self)
        self.line.setPlaceholderText("年-月-日，如 1975-03-08")
        self.line.textChanged.connect(self.edited)
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setObjectName("calendarButton")
        self.button.setToolTip("在日历中选择")
        self.button.setPopupMode(QToolButton.InstantPopup)
        menu = QMenu(self.button)
        self.calendar = QCalendarWidget(menu)
        self.calendar.setGridVisible(True)
        act = QWidgetAction(menu)
        act.setDefaultWidget(self.calendar)
        menu.addAction(act)
        menu.aboutToShow.connect(self._prepare_calendar)
        self.calendar.clicked.connect(lambda d: (self.set_value(d.toPython()), menu.close()))
        self.button.setMenu(menu)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.line)
        lay.addWidget(self.button)
        self.setMaximumWidth(190)
        self.setFocusProxy(self.line)

    def _prepare_calendar(self) -> None:
        try:
            d = parse_date(self.line.text())
        except ValueError:
            d = None
        self.calendar.setSelectedDate(QDate(d) if d else QDate.currentDate())

    def value(self):
        try:
            return parse_date(self.line.text())
        except ValueError:
            return None

    def set_value(self, v) -> None:
        self.line.setText(v.isoformat() if isinstance(v, dt.date) else ("" if v is None else str(v)))

    def problem(self):
        try:
            parse_date(self.line.text())
        except DateError:
            return "日期写法不对，请写成 1975-03-08"
        return None


class MemoEdit(QPlainTextEdit):
    edited = Signal()

    def __init__(self, field: Field, parent=None):
        super().__init__(parent)
        self.field = field
        self.setTabChangesFocus(True)
        self.setFixedHeight(64 if field.width < 30 else 90)
        self.textChanged.connect(self.edited)

    def value(self):
        return self.toPlainText().strip() or None

    def set_value(self, v) -> None:
        self.setPlainText("" if v is None else str(v))

    def problem(self):
        return None


class BoolEdit(QCheckBox):
    edited = Signal()

    def __init__(self, field: Field, parent=None):
        super().__init__("是", parent)
        self.field = field
        self.toggled.connect(self.edited)

    def value(self):
        return self.isChecked()

    def set_value(self, v) -> None:
        self.setChecked(bool(v))

    def problem(self):
        return None


class ChoiceCombo(QComboBox):
    """One value from a list of (value, name): code tables, villages, townships."""

    edited = Signal()

    def __init__(self, field: Field | None, items: list[tuple[str, str]], parent=None, *, blank: str = ""):
        super().__init__(parent)
        self.field = field
        self.setMaxVisibleItems(20)
        self.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(6)
        self._blank = blank
        self.set_items(items)
        self.currentIndexChanged.connect(lambda _i: self.edited.emit())

    def set_items(self, items: list[tuple[str, str]]) -> None:
        current = self.value()
        self.blockSignals(True)
        self.clear()
        self.addItem(self._blank, None)
        for code, name in items:
            self.addItem(name, code)
        self.blockSignals(False)
        self.set_value(current)

    def value(self):
        return self.currentData()

    def set_value(self, v) -> None:
        if v in (None, ""):
            self.setCurrentIndex(0)
            return
        i = self.findData(v)
        if i < 0:  # a code no longer offered (or a county's old code): still shown as it is
            self.addItem(str(v), v)
            i = self.count() - 1
        self.setCurrentIndex(i)

    def problem(self):
        return None


class CodesEdit(QListWidget):
    """Several values of a code table: a grid of check boxes (人士类别)."""

    edited = Signal()

    def __init__(self, field: Field, items: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        self.field = field
        self.setFlow(QListWidget.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListWidget.Adjust)
        self.setUniformItemSizes(True)
        longest = max([self.fontMetrics().horizontalAdvance(n) for _c, n in items] or [80])
        self.setGridSize(QSize(longest + 34, self.fontMetrics().height() + 8))
        self.setSelectionMode(QListWidget.NoSelection)
        self.setFixedHeight((self.fontMetrics().height() + 8) * ((len(items) + 2) // 3) + 8)
        for code, name in items:
            it = QListWidgetItem(name, self)
            it.setData(Qt.UserRole, code)
            it.setFlags(Qt.ItemIsUserCheckable | Qt.ItemIsEnabled)
            it.setCheckState(Qt.Unchecked)
        self.itemChanged.connect(lambda _it: self.edited.emit())

    def value(self):
        return join_multi(self.item(i).data(Qt.UserRole) for i in range(self.count())
                          if self.item(i).checkState() == Qt.Checked)

    def set_value(self, v) -> None:
        chosen = set(split_multi(v))
        self.blockSignals(True)
        for i in range(self.count()):
            it = self.item(i)
            it.setCheckState(Qt.Checked if it.data(Qt.UserRole) in chosen else Qt.Unchecked)
        self.blockSignals(False)
        self.edited.emit()

    def problem(self):
        return None


class RefEdit(QWidget):
    """A record of another ledger (a representative), picked by searching for the name."""

    edited = Signal()

    def __init__(self, field: Field, ctx, parent=None):
        super().__init__(parent)
        self.field = field
        self.ctx = ctx
        self._uuid: str | None = None
        self.line = QLineEdit(self)
        self.line.setReadOnly(True)
        self.line.setPlaceholderText("未选择")
        pick = QToolButton(self)
        pick.setText("选择…")
        pick.clicked.connect(self._pick)
        clear = QToolButton(self)
        clear.setText("清除")
        clear.clicked.connect(lambda: self.set_value(None))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.line)
        lay.addWidget(pick)
        lay.addWidget(clear)

    def _pick(self) -> None:
        from .pickers import RecordPicker

        picker = RecordPicker(self.ctx, self.field.ref, self)
        if picker.exec() and picker.chosen:
            self._uuid, name = picker.chosen
            self.line.setText(name)
            self.edited.emit()

    def value(self):
        return self._uuid

    def set_value(self, v, name: str | None = None) -> None:
        self._uuid = v or None
        self.line.setText(name or "")
        if v and name is None:
            from ..domain import LEDGERS

            title = LEDGERS[self.field.ref].title
            self.ctx.worker.submit(self.ctx.services.get, self.field.ref, v, with_subs=False,
                                   on_done=guard(self, lambda row: self.line.setText(str(row.get(title) or ""))),
                                   on_error=guard(self, lambda _e: self.line.setText("（已删除的记录）")))
        self.edited.emit()

    def problem(self):
        return None


def code_items(ctx, field: Field) -> list[tuple[str, str]]:
    return ctx.services.codebook()[field.code].items()


def make_editor(field: Field, ctx, parent=None, *, township: str | None = None):
    """The input widget for a field."""
    t = field.type
    if t == "code":
        return ChoiceCombo(field, code_items(ctx, field), parent)
    if t == "codes":
        return CodesEdit(field, code_items(ctx, field), parent)
    if t == "date":
        return DateEdit(field, parent)
    if t == "memo":
        return MemoEdit(field, parent)
    if t == "bool":
        return BoolEdit(field, parent)
    if t == "int":
        return IntEdit(field, parent)
    if t == "decimal":
        return DecimalEdit(field, parent)
    if t == "village":
        names = dict(ctx.services.townships())
        items = [(c, n if township else f"{names.get(tw, tw)} {n}") for c, tw, n in ctx.services.villages(township)]
        return ChoiceCombo(field, items, parent)
    if t == "ref":
        return RefEdit(field, ctx, parent)
    return TextEdit(field, parent)
