"""A grid of labelled inputs generated from field descriptions, with a validation message
beside each input. Used by the record form and by the sub-record dialog alike."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..domain.model import Field
from .editors import make_editor

WIDE_TYPES = ("memo", "codes")


class FieldCell(QWidget):
    """An input with its message underneath (red; empty when the value is fine)."""

    def __init__(self, editor, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.message = QLabel(self)
        self.message.setObjectName("fieldMessage")
        # one line kept for the message whether it shows or not, and no wider than the input: the
        # fields do not jump as messages come and go (a long one is cut; the tooltip has it all)
        policy = QSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        policy.setRetainSizeWhenHidden(True)
        self.message.setSizePolicy(policy)
        self.message.ensurePolished()
        self.message.setFixedHeight(self.message.fontMetrics().height() + 2)
        self.message.hide()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        lay.addWidget(editor)
        lay.addWidget(self.message)
        self.setFocusProxy(editor)

    def show_message(self, text: str | None) -> None:
        self.message.setText(text or "")
        self.message.setToolTip(text or "")
        self.message.setVisible(bool(text))
        self.editor.setProperty("invalid", bool(text))
        self.editor.style().unpolish(self.editor)
        self.editor.style().polish(self.editor)


class FieldGrid(QWidget):
    edited = Signal()

    def __init__(self, fields: tuple[Field, ...], ctx, parent=None, *, columns: int = 2,
                 township: str | None = None, readonly: tuple[str, ...] = (), lead: tuple = (),
                 lead_after: str | None = None):
        """``lead``: (name, label, widget) inputs placed first that are not fields of the ledger
        (所属乡镇); their cells take messages like the others."""
        super().__init__(parent)
        self.fields = fields
        self.editors: dict[str, object] = {}
        self.cells: dict[str, FieldCell] = {}
        self.labels: dict[str, QLabel] = {}
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)  # each input has its message line under it
        row = col = 0
        entries = [(f.name, f"{f.label}{'＊' if f.required else ''}", None, f) for f in fields]
        at = next((i + 1 for i, f in enumerate(fields) if f.name == lead_after), 0)
        entries[at:at] = [(name, text, widget, None) for name, text, widget in lead]
        for name, text, editor, f in entries:
            if f is None:
                cell = FieldCell(editor, self)
                label = QLabel(text, self)
                label.setAlignment(Qt.AlignRight | Qt.AlignTop)
                label.setContentsMargins(0, 4, 0, 0)
                grid.addWidget(label, row, col * 2)
                grid.addWidget(cell, row, col * 2 + 1)
                col += 1
                if col >= columns:
                    row, col = row + 1, 0
                self.cells[name] = cell
                continue
            editor = make_editor(f, ctx, self, township=township)
            if f.name in readonly:
                editor.setEnabled(False)
            editor.edited.connect(self.edited)
            cell = FieldCell(editor, self)
            label = QLabel(text, self)
            label.setBuddy(editor)
            label.setAlignment(Qt.AlignRight | Qt.AlignTop)
            label.setContentsMargins(0, 4, 0, 0)
            if f.help:
                label.setToolTip(f.help)
                cell.setToolTip(f.help)
            wide = f.type in WIDE_TYPES and columns > 1
            if wide and col:
                row, col = row + 1, 0
            grid.addWidget(label, row, col * 2)
            grid.addWidget(cell, row, col * 2 + 1, 1, (columns * 2 - 1) if wide else 1)
            col = 0 if wide else col + 1
            if col >= columns or wide:
                row, col = row + 1, 0
            self.editors[f.name] = editor
            self.cells[f.name] = cell
            self.labels[f.name] = label
        for c in range(columns):
            grid.setColumnStretch(c * 2 + 1, 1)
        grid.setRowStretch(row + 1, 1)

    def values(self) -> dict:
        return {name: ed.value() for name, ed in self.editors.items() if ed.isEnabled()}

    def set_values(self, row: dict) -> None:
        for name, ed in self.editors.items():
            ed.blockSignals(True)
            ed.set_value(row.get(name))
            ed.blockSignals(False)

    def input_problems(self) -> dict[str, str]:
        """What was typed but cannot be read (a date written wrongly)."""
        return {n: p for n, ed in self.editors.items() if (p := ed.problem())}

    def show_problems(self, problems: dict[str, str]) -> None:
        for name, cell in self.cells.items():
            cell.show_message(problems.get(name))
