"""设置: the database's declared settings (``domain/settings.py``), one row each.

Every row comes from the declaration (label, type, range, unit, help), so a new setting shows
here without code. Saving goes through ``services.settings.change`` — role- and scope-checked,
validated and audited, as ``ufdesk setting set`` — and tells open windows (``settings_changed``)
so that, for example, a new idle-lock time counts at once.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import UfError
from ..domain.settings import SCOPE_LABELS, SETTINGS
from ..services import settings as SET
from .messages import ok_cancel, show_error


class SettingsDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("设置")
        self.setObjectName("settingsDialog")
        self.rows = {r["key"]: r for r in SET.listing(ctx.services)}
        self.editors: dict[str, QWidget] = {}
        lay = QVBoxLayout(self)
        form = QFormLayout()
        for key, row in self.rows.items():
            editor = self._editor(key, row)
            editor.setObjectName(f"setting_{key}")
            why = row["why_not"]
            editor.setEnabled(why is None)
            s = SETTINGS[key]
            tip = s.help + ("" if why is None else f"\n{why}")
            editor.setToolTip(tip.strip())
            label = QLabel(f"{s.label}（{SCOPE_LABELS[s.scope].split('（')[0]}）", self)
            label.setToolTip(tip.strip())
            form.addRow(label, editor)
            self.editors[key] = editor
        lay.addLayout(form)
        self.note = QLabel(self._note(), self)
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        self.buttons = ok_cancel(self, self.save, "保存")
        lay.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def _editor(self, key: str, row: dict) -> QWidget:
        s = SETTINGS[key]
        if s.type == "bool":
            w = QCheckBox(self)
            w.setChecked(bool(row["value"]))
            return w
        if s.type == "int":
            w = QSpinBox(self)
            w.setRange(s.minimum if s.minimum is not None else -10**6, s.maximum if s.maximum is not None else 10**6)
            if s.unit:
                w.setSuffix(f" {s.unit}")
            if s.zero_text and (s.minimum or 0) == 0:
                w.setSpecialValueText(s.zero_text)
            w.setValue(int(row["value"]))
            return w
        w = QLineEdit(self)
        if s.max_len:
            w.setMaxLength(s.max_len)
        w.setText(str(row["value"]))
        w.setPlaceholderText(str(row["default"]))
        return w

    def _note(self) -> str:
        locked = [r for r in self.rows.values() if r["why_not"]]
        if not locked:
            return "修改会记入审计日志。“全县”设置由县委统战部设定，随数据包下发到各乡镇。"
        return "；".join(sorted({r["why_not"] for r in locked}))

    def value(self, key: str):
        w = self.editors[key]
        if isinstance(w, QCheckBox):
            return w.isChecked()
        return w.value() if isinstance(w, QSpinBox) else w.text()

    def save(self) -> None:
        changed = []
        try:
            for key, row in self.rows.items():
                if row["why_not"] is None and self.value(key) != row["value"]:
                    if SET.change(self.ctx.services, key, self.value(key)).changed:
                        changed.append(key)
        except UfError as exc:
            show_error(self, exc)
            return
        finally:
            for key in changed:
                self.ctx.settings_changed.emit(key)
        self.accept()
